"""Outcomes outside the pure core: survival files, Cox models, plots and the program report."""
