"""Instructor tools of rnn-shapes: build the assignment, grade submissions, report on a class."""
