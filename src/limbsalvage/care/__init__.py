"""Care coordination per episode: the care team, tasks, appointments, time-to-treatment."""
