import sys

# guarded: a worker process of a roll-up (services/rollup) started by "spawn" imports this
# module again, and must not run the program a second time
if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle: its worker processes start through this script
        import multiprocessing

        multiprocessing.freeze_support()
    from cchc_desktop.cli import main

    raise SystemExit(main())
