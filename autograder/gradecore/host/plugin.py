"""Otter plugin: grade in sealed processes, and write the results from the trusted side alone.

Otter runs hidden tests inside the student's kernel, and reads back what the kernel hands it (a
pickle). This plugin runs in otter's own process and trusts none of it. It answers otter's events
and orders the grading; each step's work is done in a module of its own. Trust steps, in order:

1. ``before_grading``: otter's own ways for the kernel to run code here are shut
   (:mod:`gradecore.host.otter_doors`: the pickled results, the pickled log records of its logging
   server, a submitted ``.OTTER_LOG``), and the grading code otter copied beside the submission
   (the truths, the seed, the catalogue) is removed from it;
2. ``before_execution``: the points and titles come from the zip's ``assignment.json``; the judge
   starts on private pipes; the submission's code, as read from the file
   (:mod:`gradecore.host.submitted_code`), runs in a sealed run (:mod:`gradecore.host.grading_sandbox`)
   that answers the hidden calls whose arguments are data, and another that may load the library
   for the calls whose argument is a Keras model; the kernel is pinned to a confined launcher and
   is handed no hidden input (:mod:`gradecore.host.execution`);
3. ``after_grading``: everything the sandbox started is ended, and the results are built afresh
   (:mod:`gradecore.host.otter_results`): a question's points are the judge's verdict on its calls,
   nothing else; beside the messages, the grading's facts (:mod:`gradecore.protocol.facts`) go in
   ``results.json``'s ``extra_data``, from the verdicts and the plugin alone.
"""

from __future__ import annotations

import os
import shutil
import threading
from typing import Any, Callable, Optional

import nbformat
from otter.plugins import AbstractOtterPlugin

from ..kernel import memory
from ..protocol import about, facts, limits, settings
from ..public import spec
from ..sandbox import confine
from . import disk, execution, grading_sandbox, otter_results, procs, sealed_runs, submitted_code
from .judge_client import JudgeClient, JudgeGone, JudgeSilent, wait_limit_s
from .launch import PACKAGE_ROOT
from .otter_doors import OTTER_LOG, shut_otters_doors

JUDGE_STARTS = 2
"""Judges a grading starts at most: a second where the first ended before the sealed runs' calls."""
GRADER_COPIES = ("gradecore", "assignments")
"""What otter's runner copies from the zip's ``files/`` beside the submission: the grading code,
the truths and the seed. The kernel must not see them; the plugin removes them first."""


class JudgePlugin(AbstractOtterPlugin):
    """Grades each submission in sealed processes and writes the results from the trusted side.

    Its configuration in ``otter_config.json`` names the assignment: ``{"assignment": NAME}``.
    """

    judge: Optional[JudgeClient] = None
    box: Optional[grading_sandbox.Sandbox] = None
    disk: Optional[disk.DiskWatch] = None

    # --- before anything of the submission is read ----------------------------------------------

    def before_grading(self, ag_config):
        shut_otters_doors()
        # otter's runner works in the submission's folder: what it copied there, and a log that
        # it would unpickle next, go before the notebook is even read.
        for name in (OTTER_LOG, *GRADER_COPIES):
            path = os.path.join(os.getcwd(), name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                os.remove(path)
        # a zip otter unpacked here, before any of this ran, past the grading's disk limit: what it
        # unpacked beside the notebook goes now, not when otter removes the folder
        limit = limits.DISK_LIMIT_MB * 2**20
        unpacked = disk.trim_unpacked(os.getcwd(), limit)
        self.unpacked_note = (
            f"the submission unpacked to {unpacked / 2**20:.0f} MiB, more than one grading may write "
            f"({limits.DISK_LIMIT_MB:g} MiB, {settings.setting('DISK_LIMIT_MB').variable}); the grader removed all "
            "of it but the notebook." if unpacked else "")

    # --- before the kernel runs ---------------------------------------------------------------

    def before_execution(self, submission):
        shut_otters_doors()
        self.script = os.path.splitext(str(self.submission_path))[1] == ".py"
        self.kernel_watch = execution.KernelWatch()
        self.judge_silent = False
        self.judge_gone = False
        self.kernel_from_template = False
        self.oom_kills_before = memory.oom_kills()
        self.over_memory_mb: Optional[float] = None
        """the peak (MiB) of the submission's own process the system killed while it held more than
        the grading allows (:func:`limits.submission_memory_mb`): its 0, not the machine's fault"""
        self.assignment = str((self.plugin_config or {}).get("assignment", ""))
        self.root = self._zip_root()
        self.about = about.read(self.root) or about.about(spec.load(self.assignment))
        self.questions = tuple(str(q["name"]) for q in self.about["questions"])
        self.verdicts: dict[str, dict] = {}
        self.undecided: list[tuple[dict, dict[str, dict]]] = []
        self.library_calls: dict[str, dict] = {}
        self.rebound: list[str] = []
        self.unparsable, self.problems = submitted_code.check_cells(submission, self.script)
        sealed_cells, self.skipped_commands = submitted_code.sealed_cells(submission, self.script, self.unparsable)
        submitted_code.skip_shell_escapes(submission, self.script, self.unparsable)
        self.name_copy = submitted_code.answer_to_its_own_name(submission, self.script)
        procs.become_subreaper()
        self.box = grading_sandbox.Sandbox(prefix="rnn-shapes-")
        self.isolation = confine.available()
        # fresh cases for this grading where the machine has the memory for their truth worker,
        # forked from the grading's template (TensorFlow's pages shared) unless templates are off
        self.fresh_cases, self.cases_note = limits.fresh_cases(forked=bool(settings.value("TEMPLATE")))
        self._close_the_zip()
        # from here on, what the sandbox writes is counted: past its limit, the grading stops
        self.disk = self.box.watch_disk(os.getcwd(), lambda: (self.judge.pid,) if self.judge else ())
        self._choose_template(sealed_cells)
        self._judge_and_seal(sealed_cells)
        self.kernel_report_path, self.own_template_variable = execution.pin_kernel(
            submission, self.box, self.kernel_from_template)
        if self.box.stopped:  # the sealed runs passed the disk limit: the kernel runs none of it again
            submission.cells = [cell for cell in submission.cells if cell.cell_type != "code"]
        submission.cells.insert(0, nbformat.v4.new_code_cell(submitted_code.GUARD_CELL))
        self._restore_executor = execution.survive_kernel_death(self.kernel_watch)
        self._restore_messages = execution.bound_kernel_messages(self.kernel_watch)
        return submission

    def _judge_and_seal(self, cells: list[str]) -> None:
        """Start the judge and run the sealed runs on its calls (:meth:`_seal`). A judge whose process
        ends before it gave them (its truth worker failed twice on a machine under load, or the
        system killed it; the submission cannot reach it) is the machine's doing: one new judge,
        with cases drawn afresh, and the sealed runs again; if it ends too, every question reads
        as a fault of the machine (:data:`gradecore.protocol.limits.JUDGE_GONE`), never a 0."""
        for _ in range(JUDGE_STARTS):
            self.judge_gone = False
            self.library_calls = {}
            try:
                # the judge's truth worker is forked from the template (TensorFlow imported once) where one runs
                self.judge = JudgeClient(self.assignment, self.root, fresh=self.fresh_cases, template=self.box.template)
                self._seal(cells)
                if self.fresh_cases and limits.kernel_after_truths():
                    # where memory is short, the kernel starts once the truth worker has ended (the
                    # judge has the truths): their memory is never held at once
                    self.judge.request({"op": "truths"})
                    if not self.kernel_from_template:
                        # nothing more to fork from it (the worker and the library's run are done, the
                        # kernel starts cold): TensorFlow's pages go before the kernel comes
                        self.box.stop_template()
                return
            except JudgeGone:
                self.judge_gone = True
                self.judge.stop()
                self.judge = None
                if self.box.stopped:  # past the disk limit: nothing runs again
                    return
            except JudgeSilent:
                self.judge_silent = True
                return

    def _zip_root(self) -> str:
        """Where the judge's code comes from: the autograder zip being graded.

        otter unpacks the zip into ``<dir>/source`` and runs the submission from ``<dir>/submission``.
        The zip's own grader, with the truths its build shipped, judges, even where this plugin
        was imported from an installed copy of the package.
        """
        source = os.path.abspath(os.path.join(os.pardir, "source"))
        grader = os.path.join(source, *spec.module_name(self.assignment).split("."))
        if os.path.isfile(os.path.join(source, "gradecore", "judge", "service.py")) and os.path.isdir(grader):
            return source
        return PACKAGE_ROOT

    def _close_the_zip(self) -> None:
        """Where the grader is root: the zip's folder (truths, seed, catalogue) and otter's results
        become the grader's alone, and the submission's folder the kernel's user's, which the
        sealed runs may read through its group but not set metadata on (:meth:`.Sandbox.own`)."""
        if self.box is None or self.box.uid is None:
            return
        if self.root != PACKAGE_ROOT:
            os.chmod(self.root, 0o700)
        results = os.path.abspath(os.path.join(os.pardir, "results"))
        if os.path.isdir(results):
            os.chmod(results, 0o700)
        grading_sandbox.open_the_way([os.getcwd()])
        self.box.own(os.getcwd())

    def _choose_template(self, cells: list[str]) -> None:
        """Whether this grading forks from a template that imported TensorFlow (its library's
        sealed run, the kernel, the judge's truth worker), and if so start this grading's own now,
        before the judge, whose truth worker it forks first: its imports run while the judge
        and the NumPy-only run start."""
        # Forked from a template that imported TensorFlow (the library's sealed run, the kernel)
        # only where the submission imports it itself, so would have it from its top level on:
        # a process that never would have it would carry its pages for nothing, and so would
        # each process it forks (a submission that forks 256 went out of memory at 768 MB).
        self.kernel_from_template = bool(settings.value("TEMPLATE")) and submitted_code.imports_library(cells)
        # A batch's template holds TensorFlow already, for every grading: the library's run, which
        # loads it whatever the submission imports, forks from it rather than import it afresh
        # (seconds of a core for each .py that does not import TensorFlow itself)
        batch_template = bool(settings.value("TEMPLATE")) and bool(os.environ.get(limits.WARM_KERNELS_VARIABLE))
        # Fresh cases need TensorFlow for their truths whatever the submission imports: their worker
        # and the library's run fork from one template (the kernel starts cold where the submission
        # does not import TensorFlow), so a submission cannot choose its grading's cases by what it imports
        truths_template = bool(settings.value("TEMPLATE")) and self.fresh_cases
        if self.kernel_from_template or batch_template or truths_template:
            self.box.use_template()  # TensorFlow's import runs beside the judge and the NumPy-only run

    def _seal(self, cells: list[str]) -> None:
        """Run the calls with data arguments in sealed runs and have the judge decide them; the
        kernel gets none of them.

        The NumPy-only run starts at once and defines the submission's code while the judge starts
        and gives its calls; where the assignment has questions whose argument the library builds
        (a Keras model), the library's run follows once it is gone, never beside it
        (:func:`gradecore.host.grading_sandbox.Sandbox.start_sealed`).
        """
        from ..kernel.calls import needs_library

        asked = threading.Event()
        sealed: dict[str, dict] = {}
        library: dict[str, Any] = {}

        def calls(of: dict) -> Callable[[], dict]:
            def calls_of() -> dict:
                asked.wait(wait_limit_s() * (1 + len(self.questions)))
                return dict(of)
            return calls_of

        runs = [sealed_runs.SealedRun(cells, calls(sealed), submission_dir=os.getcwd())]
        if self._builders():
            runs.append(sealed_runs.SealedRun(cells, calls(library), submission_dir=os.getcwd(), library=True))
        started = self.box.start_sealed(runs, keep=(self.judge.pid,))
        try:
            self.judge.request({"op": "vocabulary", "names": sorted(submitted_code.names_in(cells))})
            for question in self.questions:
                reply = self.judge.request({"op": "calls", "question": question})
                if not isinstance(reply, dict) or "calls" not in reply:
                    continue
                if any(needs_library(a) for args in reply["calls"] for a in args):
                    self.library_calls[question] = reply
                else:
                    sealed[question] = reply
            if self.library_calls:
                library.update(self.library_calls, builders_file=self.box.copy_builders(self.root, self._builders()))
        finally:
            asked.set()  # a judge that failed leaves the runs no calls: they end at once
            found = started.results()
        self._numpy_found(found[0], sealed)
        if len(found) > 1:
            self._library_found(found[1])

    def _numpy_found(self, found: dict, sealed: dict[str, dict]) -> None:
        """What the NumPy-only sealed run (which cannot load TensorFlow or Keras) returned."""
        confined = found.get("confined")
        if isinstance(confined, dict) and confined:
            # the sealed run's own account of its confinement: its words go out as one line each
            self.isolation = {submitted_code.one_line(k, 40): submitted_code.one_line(v) for k, v in confined.items()}
        if self._killed_for_own_memory(found):
            pass  # what it had finished stands, the rest is 0, and the feedback names memory
        elif found.get("died") and self._system_killed_for_memory():
            # the system killed the sealed run for lack of memory, which it did not hold itself:
            # the machine's limit, not an answer
            self.out_of_memory = True
            return
        self.rebound = [n for n in found.get("rebound", []) if submitted_code.is_watched_name(n)]
        for where, command in found.get("skipped", []):
            # the sealed run says which were reached; the note is the plugin's, for its own rewrite
            if (str(where).split(" (line ")[0], command) in self.skipped_commands:
                self.problems.append(submitted_code.skipped_note(submitted_code.one_line(where, 80), command))
        self._decide(found, sealed)

    def _decide(self, found: dict, asked: dict[str, dict]) -> None:
        """Keep what a sealed run returned for the questions ``asked``: the judge decides them once
        the kernel is done (:meth:`_verdicts`), while it computes this grading's fresh truths."""
        self.undecided.append((found, asked))

    def _verdicts(self) -> None:
        """The judge's verdict on each question asked whose calls all came back. The first waits for
        the grading's fresh truths, which the judge's worker computed while the kernel ran."""
        for found, asked in self.undecided:
            for question in asked:
                outcomes = found.get("outcomes", {}).get(question)
                if outcomes is None or self.judge is None:
                    continue
                try:
                    verdict = self.judge.request({"op": "judge", "question": question, "outcomes": outcomes})
                except JudgeGone:
                    # the sealed runs answered: a judge that died now (its truth worker failed) is
                    # the machine's fault, never a 0 for the submission
                    self.judge_gone = True
                    return
                except JudgeSilent:
                    self.judge_silent = True
                    return
                if isinstance(verdict, dict) and "passed" in verdict:
                    self.verdicts[question] = verdict
        self.undecided = []

    def _library_found(self, found: dict) -> None:
        """What the library's sealed run returned: the calls whose argument the library builds (a
        Keras model) run there, where the library may load (nothing it could compute there is
        secret), never in the kernel, which is handed no hidden input at all."""
        # a run forked from the template is not this process's child, and its peak is not seen:
        # where the NumPy-only run of the same code was killed for its own memory, so was this one
        if self._killed_for_own_memory(found) or (found.get("died") and self.over_memory_mb is not None):
            pass
        elif found.get("died") and self._system_killed_for_memory():
            self.out_of_memory = True
            return
        self._decide(found, self.library_calls)

    def _builders(self) -> str:
        """The module that builds the arguments of the library's questions, from ``assignment.json``
        (a zip built before it said so: from the spec); empty where the assignment has none."""
        if "builders" in self.about:
            return str(self.about["builders"] or "")
        return spec.load(self.assignment).kernel_builders

    def _killed_for_own_memory(self, found: dict) -> bool:
        """Whether the system killed a process of this sealed run for lack of memory while it held
        more than the grading allows: it died of ``SIGKILL`` the grader had not sent, a kill was
        counted in the grading's memory cgroup meanwhile, and its peak was over
        :func:`limits.submission_memory_mb`. The OOM killer takes a sandboxed process first
        (``oom_score_adj`` 1000) and, among them, the one that holds most: that is the filler."""
        peak = found.get("killed_mb")
        if not isinstance(peak, (int, float)) or not self._system_killed_for_memory():
            return False
        if peak < limits.submission_memory_mb():
            return False
        self.over_memory_mb = max(float(peak), self.over_memory_mb or 0.0)
        return True

    def _system_killed_for_memory(self) -> bool:
        """Whether the system killed a process of this grading's memory cgroup for lack of memory
        while this submission was graded (its out-of-memory count rose; the machine's, where no
        cgroup of its own shows): the kernel's death is then the grader's limit, not the
        submission's doing."""
        after = memory.oom_kills()
        return self.oom_kills_before is not None and after is not None and after > self.oom_kills_before

    # --- after the kernel is gone -------------------------------------------------------------

    def after_grading(self, results):
        try:
            self._verdicts()
            for restore in (getattr(self, "_restore_executor", None), getattr(self, "_restore_messages", None)):
                if restore is not None:
                    restore()
            if self.box is not None:
                self.box.sweep(keep=(self.judge.pid,) if self.judge else ())
            if self.disk is not None:
                self.disk.stop()
            execution.read_kernel_report(getattr(self, "kernel_report_path", None), self.isolation)
        finally:
            self._stop()
        problems = list(self.problems)
        if getattr(self, "unpacked_note", ""):
            problems.insert(0, self.unpacked_note)
        if self.rebound:
            problems.append(f"the submission replaces {', '.join(self.rebound[:5])}; the grader ignores this.")
        missing = any(q not in self.verdicts for q in self.questions)
        died_in, not_started = self.kernel_watch.died_in, self.kernel_watch.not_started
        killed = (died_in is not None or not_started is not None or missing) and self._system_killed_for_memory()
        # The kernel decides nothing: every verdict comes from the sealed runs, which were over
        # before it started, so its death (for memory or not) leaves them as they are. Only a
        # question left without one makes the machine's memory the grading's fault. A kernel that
        # forks a child to fill memory, then kills itself once the system killed the child, made
        # its grading a machine fault ("grade it again") until 2026-12-07.
        # A question left without a verdict because the submission's own process held too much
        # is the submission's 0: until 2026-12-08 it was a machine fault, and a filler chose it.
        own_memory = self.over_memory_mb is not None
        self.out_of_memory = getattr(self, "out_of_memory", False) or (missing and killed and not own_memory)
        disk_full = self.disk is not None and self.disk.exceeded.is_set()
        if disk_full:
            # first, so that each question's message shows it; the kernel's death is the grader's doing
            problems.insert(0, limits.disk_full(self.disk.limit_bytes / 2**20))
        elif own_memory:
            problems.insert(0, limits.over_memory(self.over_memory_mb, limits.submission_memory_mb()))
        elif died_in is not None and self.out_of_memory:
            problems.append(
                f"{limits.OUT_OF_MEMORY}: the system killed a process for lack of memory, and the kernel died while it "
                f"ran {submitted_code.where(died_in, self.script)}, so nothing after it ran. This is a limit of the grading "
                f"machine, not a wrong answer: {limits.RAISE_MEMORY}."
            )
        elif died_in is not None and killed:
            problems.append(
                f"the kernel died while running {submitted_code.where(died_in, self.script)}, and the system killed "
                "a process for lack of memory meanwhile (whose, the grader cannot tell), so nothing after it ran; "
                "the hidden checks ran apart from the kernel, before it, and count as usual."
            )
        elif self.out_of_memory:
            problems.append(
                f"{limits.OUT_OF_MEMORY}: the system killed a grading process for lack of memory. This is a "
                f"limit of the grading machine, not a wrong answer: {limits.RAISE_MEMORY}."
            )
        elif died_in is not None:
            problems.append(
                f"the kernel died while running {submitted_code.where(died_in, self.script)} (stopped by the submission, "
                "a crash or the system); nothing after it ran."
            )
        elif not_started is not None:
            problems.append(
                f"the kernel did not start ({not_started}), so no cell ran in it and no cell's error "
                "is reported; the hidden checks ran apart from it and count as usual."
            )
        problems += execution.execution_problems(results.notebook, self.script, self.unparsable, self.kernel_watch)
        problems = list(dict.fromkeys(problems))
        fault = otter_results.machine_fault(self.questions, self.verdicts, self.out_of_memory, self.judge_silent,
                                            self.judge_gone)
        found = facts.GradingFacts(isolation=confine.isolation_summary({**self.isolation, "cases": getattr(self, "cases_note", "on")}),
                                   fault=fault)
        otter_results.write_results(results, problems, found, self.about["questions"], self.verdicts,
                                    self.out_of_memory, self.judge_silent, self.judge_gone)
        results.output = otter_results.overall_output(found, problems)
        results._catastrophic_error = None
        results.grading_facts = found

    def _stop(self) -> None:
        if getattr(self, "own_template_variable", False):
            os.environ.pop(limits.WARM_KERNELS_VARIABLE, None)
            self.own_template_variable = False
        if self.judge is not None:
            self.judge.stop()
            self.judge = None
        if getattr(self, "name_copy", None):
            try:
                os.remove(self.name_copy)
            except OSError:
                pass
            self.name_copy = None
        if self.disk is not None:
            self.disk.stop()  # before the folders it walks go (it keeps its verdict)
        if self.box is not None:
            self.box.remove()
            self.box = None

    def generate_report(self):
        return ""
