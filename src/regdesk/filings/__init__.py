"""ICP filing (ICP备案): applications, verification, submission to the regulator and the records that follow."""
