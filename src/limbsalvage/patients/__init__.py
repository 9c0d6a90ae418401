"""Patients, limbs and episodes."""

# The search terms' write hooks are registered with the models, whichever module loads first.
from limbsalvage.patients import search as search
