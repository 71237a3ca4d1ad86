/// Runs the stages for a release.
