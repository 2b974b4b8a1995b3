"""The session model, NumPy only: settings, the explorer's points and training, the frame every panel draws."""
