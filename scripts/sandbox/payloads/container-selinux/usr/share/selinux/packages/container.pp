sandbox stand-in for the container SELinux policy module
