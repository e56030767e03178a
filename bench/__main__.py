"""`make bench`: the end-to-end decision benchmark (`bench.decisions`)."""

from bench.decisions import main

if __name__ == "__main__":
    main()
