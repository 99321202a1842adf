from mpwrite.cli.root import main

# Guarded: bulk's worker processes import this module again and must not run the CLI.
if __name__ == "__main__":
    main()
