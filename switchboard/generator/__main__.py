"""`python -m switchboard.generator --out DIR ...`"""

from switchboard.generator import main

raise SystemExit(main())
