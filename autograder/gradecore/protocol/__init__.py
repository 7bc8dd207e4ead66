"""What crosses the trust boundary and every side shares: the messages' framing (frames, wire),
outcome statuses, the grading's facts, the zip's about file, limits and settings. It runs nothing
of anyone's."""
