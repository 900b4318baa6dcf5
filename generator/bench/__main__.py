import sys

from lienthong.bench.pipeline import main

sys.exit(main())
