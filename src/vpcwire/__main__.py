from vpcwire.cli import main

main()
