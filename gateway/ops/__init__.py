"""Operating a deployment: backups that restore and check themselves, and the configuration doctor."""
