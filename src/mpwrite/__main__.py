from mpwrite.cli import main

main()
