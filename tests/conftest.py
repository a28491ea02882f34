import os
import sys

# Let test modules import the helpers that sit beside them (runtimes, models).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
