"""The simulators' synthetic data sets (JSON) and the script that generates them (``generate.py``)."""
