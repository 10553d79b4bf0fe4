from audioleaflet.cli import main

main()
