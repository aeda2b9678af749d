from shep.cli import main

main()
