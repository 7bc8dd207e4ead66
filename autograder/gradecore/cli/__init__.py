"""The instructor's command, `rnn-shapes`: build the zips, grade a class (here or on a cluster),
write the feedback and the report, scaffold a new assignment."""
