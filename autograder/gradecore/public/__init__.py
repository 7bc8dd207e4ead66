"""What students get too: the spec's types, the comparison, the structural description of a wrong
answer, the encoding of answers and the public checks' helper. It holds no case, truth or
mistake and imports nothing else of the core: the build ships this folder alone to students."""
