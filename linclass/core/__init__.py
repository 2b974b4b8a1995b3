"""The maths, NumPy only: the model, training steps, decision regions, data sets, points I/O, gradient check."""
