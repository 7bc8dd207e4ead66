"""The judge: trusted, never runs student code. It holds the cases, the truths and the catalogue,
and decides each verdict from the answers the sandbox sends (its service, the diagnosis)."""
