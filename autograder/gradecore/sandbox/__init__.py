"""The untrusted side's confinement: what a process that runs student code applies to itself before
the student's code runs (:mod:`.confine`, :mod:`.landlock`), and the sealed run (:mod:`.sealed`)."""
