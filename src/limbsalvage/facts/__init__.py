"""Facts only a clinician can give about an episode, recorded with who and when (issue 4)."""
