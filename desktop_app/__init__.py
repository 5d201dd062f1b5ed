"""MLPrep: study and mock-interview app for machine-learning interviews."""

__version__ = "0.1.0"
