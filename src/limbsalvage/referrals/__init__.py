"""Referral intake and triage, and converting a referral into a patient, limb and episode."""
