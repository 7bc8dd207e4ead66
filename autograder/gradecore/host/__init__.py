"""The trusted side of grading that runs beside otter: it starts, confines and ends the processes
that run student code, and reads back only data."""
