"""The kernel's side (untrusted): runs the student's functions in forked children with limits and
hands back their answers as data; it reads its own memory."""
