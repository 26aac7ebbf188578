#!/usr/bin/python3
# Stand-in for ansible.builtin.dnf on sandbox hosts, which lack the dnf Python
# API (see ../README.md): the same arguments as far as fleetk8s implements
# them and the same result keys (changed, msg, rc, results), done through the
# dnf and rpm stand-ins. Only for ansible-playbook runs against the sandbox.
from ansible.module_utils.basic import AnsibleModule

QF = "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"


def installed(module, spec):
    rc, out, _ = module.run_command(["rpm", "-q", "--whatprovides", "--qf", QF, spec])
    return [l for l in out.splitlines() if l.strip()] if rc == 0 else []


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="list", elements="str", aliases=["pkg"], default=[]),
            state=dict(type="str", choices=["absent", "installed", "latest", "present", "removed"]),
            disable_gpg_check=dict(type="bool", default=False),
            disablerepo=dict(type="list", elements="str", default=[]),
            enablerepo=dict(type="list", elements="str", default=[]),
            disable_excludes=dict(type="str"),
            update_cache=dict(type="bool", default=False, aliases=["expire-cache"]),
            allow_downgrade=dict(type="bool", default=False),
            lock_timeout=dict(type="int", default=30),
        ),
        required_one_of=[["name", "update_cache"]],
        supports_check_mode=True,
    )
    p = module.params
    names = [n.strip() for n in p["name"] if n.strip()]
    state = p["state"] or "present"
    opts = ["-y", "-q"]
    if p["disable_gpg_check"]:
        opts.append("--nogpgcheck")
    opts += ["--disablerepo=" + r for r in p["disablerepo"]]
    opts += ["--enablerepo=" + r for r in p["enablerepo"]]
    if p["disable_excludes"]:
        opts.append("--disableexcludes=" + p["disable_excludes"])

    if p["update_cache"] and not module.check_mode:
        rc, out, err = module.run_command(["dnf", "makecache"] + opts)
        if rc != 0:
            module.fail_json(msg="Failed to update the cache: " + (err or out), rc=rc, results=[])
    if not names:
        module.exit_json(changed=False, msg="Cache updated", rc=0, results=[])

    if state in ("absent", "removed"):
        todo = [n for n in names if installed(module, n)]
        verb, cmd = "Removed", "remove"
    else:
        todo = [n for n in names if not installed(module, n)]
        verb, cmd = "Installed", "install"
        if state == "latest":
            rc, out, _ = module.run_command(["dnf", "-q", "check-update"] + opts[2:] + [n for n in names if n not in todo])
            if rc == 100:
                todo += [n for n in names if n not in todo]
                cmd = "upgrade" if not [n for n in names if not installed(module, n)] else "install"
    if not todo:
        module.exit_json(changed=False, msg="Nothing to do", rc=0, results=[])
    if module.check_mode:
        module.exit_json(changed=True, msg="Check mode: No changes made, but would have if not in check mode",
                         rc=0, results=[verb + ": " + n for n in todo])
    before = {n: installed(module, n) for n in todo}
    rc, out, err = module.run_command(["dnf", cmd] + opts + todo)
    if rc != 0:
        module.fail_json(msg=(err or out).strip(), rc=rc, results=[], failures=todo)
    results = []
    for n in todo:
        after = installed(module, n)
        results += [verb + ": " + v for v in (before[n] if verb == "Removed" else after if after != before[n] else [])]
    module.exit_json(changed=True, msg="", rc=0, results=results)


if __name__ == "__main__":
    main()
