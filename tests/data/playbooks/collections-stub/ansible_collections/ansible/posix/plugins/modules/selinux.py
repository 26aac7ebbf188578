#!/usr/bin/python
# Stub so that ansible-playbook --syntax-check resolves the module name
# without the real collection installed. Never run.
