"""The --store option every command that reads or writes the store takes."""


def add_store_argument(parser) -> None:
    parser.add_argument("--store", metavar="PATH",
                        help="store file (default: $COMPLAINTS_STORE or data/complaints.duckdb)")
