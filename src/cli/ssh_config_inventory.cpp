#include "ssh_config_inventory.h"

#include <algorithm>
#include <map>

namespace fleetk8s::cli {
namespace {

Error invalid(std::string message) { return Error(ErrorKind::kInvalidInput, std::move(message)); }

bool concrete(const std::string& pattern) { return pattern.find_first_of("*?!") == std::string::npos; }

// A value as Ansible's INI parser reads it back unchanged, on a host line
// (shlex) and in [all:vars] (a Python literal): quoted when it must be.
Result<std::string> ini_value(const std::string& v) {
  if (!v.empty() && v.find_first_of(" \t\"'#=\\;") == std::string::npos) return v;
  if (v.find('\'') == std::string::npos && v.find('\n') == std::string::npos) return "'" + v + "'";
  return invalid("cannot write " + v + " into an INI inventory (it has quotes of both kinds)");
}

// The ssh options that carry how one host's key is checked, in
// ansible_ssh_common_args (which Ansible passes to ssh and fleetk8s reads).
struct KeyChecking {
  std::vector<std::string> options;  // "-o StrictHostKeyChecking=accept-new", ...
  bool replaced = false;             // the config switched checking off: accept-new with the rig's file instead
};

// -o KEY=VALUE, quoted for the shell-like split of ansible_ssh_common_args.
Result<std::string> ssh_option(const std::string& key, const std::string& value) {
  const std::string kv = key + "=" + value;
  if (kv.find_first_of("'\"\\") != std::string::npos)
    return invalid("cannot write " + kv + " into ansible_ssh_common_args (quotes or backslashes)");
  return "-o " + (kv.find_first_of(" \t") == std::string::npos ? kv : "\"" + kv + "\"");
}

Result<KeyChecking> key_checking(const sshconfig::HostConfig& c, const std::string& rig_known_hosts) {
  KeyChecking k;
  std::string file = c.user_known_hosts_files.empty() ? "" : c.user_known_hosts_files.front();
  std::string policy;
  if (c.strict_host_key_checking == "no" || file == "/dev/null" || file == "none") {
    file = rig_known_hosts;
    policy = "accept-new";
    k.replaced = true;
  } else if (c.strict_host_key_checking == "accept-new") {
    policy = "accept-new";
  }  // yes, ask (fleetk8s never asks) and unset: strict, the default
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"StrictHostKeyChecking", policy},
                                   {"UserKnownHostsFile", file}}) {
    if (value.empty()) continue;
    auto o = ssh_option(key, value);
    if (!o) return o.error();
    k.options.push_back(*o);
  }
  return k;
}

struct Host {
  std::string name;
  std::vector<std::pair<std::string, std::string>> vars;
  std::vector<std::string> key_options;
  std::vector<std::string> jump_options;
};

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

Result<std::string> host_line(const Host& h, bool with_key_options) {
  std::string line = h.name;
  auto vars = h.vars;
  std::vector<std::string> options = h.jump_options;
  if (with_key_options) options.insert(options.end(), h.key_options.begin(), h.key_options.end());
  if (!options.empty()) vars.emplace_back("ansible_ssh_common_args", join(options, " "));
  for (const auto& [key, value] : vars) {
    auto v = ini_value(value);
    if (!v) return v.error().context(h.name + ": " + key);
    line += " " + key + "=" + *v;
  }
  return line;
}

}  // namespace

Result<SshConfigInventory> inventory_from_ssh_config(const sshconfig::SshConfig& config,
                                                     const SshConfigInventoryOptions& o) {
  SshConfigInventory out;
  std::vector<Host> hosts;
  std::vector<std::string> replaced, multi_key;
  for (const auto& block : config.host_blocks()) {
    auto it = std::find_if(block.patterns.begin(), block.patterns.end(), concrete);
    if (it == block.patterns.end()) continue;  // Host * and the like: defaults, not hosts
    const std::string& name = *it;
    if (std::any_of(hosts.begin(), hosts.end(), [&](const Host& h) { return h.name == name; })) continue;
    if (name.find_first_of(" \t\"'#=[]:,\\") != std::string::npos)
      return invalid(block.file + ":" + std::to_string(block.line) + ": Host " + name +
                     " cannot be an inventory host name");
    const auto c = config.lookup(name, o.local_user);
    Host h;
    h.name = name;
    if (c.hostname) h.vars.emplace_back("ansible_host", *c.hostname);
    if (c.port) h.vars.emplace_back("ansible_port", std::to_string(*c.port));
    if (c.user) h.vars.emplace_back("ansible_user", *c.user);
    if (!c.identity_files.empty()) h.vars.emplace_back("ansible_private_key_file", c.identity_files.front());
    if (c.identity_files.size() > 1) multi_key.push_back(name);
    // The way in, as written: fleetk8s follows ProxyJump and `ssh -W`
    // proxy commands, and refuses other ones when it connects.
    if (c.proxy_jump && *c.proxy_jump != "none") {
      auto jump = ssh_option("ProxyJump", *c.proxy_jump);
      if (!jump) return jump.error().context(name);
      h.jump_options.push_back(*jump);
    }
    if (c.proxy_command && *c.proxy_command != "none") {
      auto command = ssh_option("ProxyCommand", *c.proxy_command);
      if (!command) return command.error().context(name);
      h.jump_options.push_back(*command);
    }
    auto keys = key_checking(c, o.rig_known_hosts);
    if (!keys) return keys.error().context(name);
    h.key_options = keys->options;
    if (keys->replaced) replaced.push_back(name);
    hosts.push_back(std::move(h));
  }
  if (hosts.empty()) return invalid(o.source + ": no Host block names a host (only patterns such as Host *)");

  std::vector<std::string> cps = o.control_planes;
  if (cps.empty()) cps.push_back(hosts.front().name);
  for (const auto& cp : cps)
    if (std::none_of(hosts.begin(), hosts.end(), [&](const Host& h) { return h.name == cp; })) {
      std::vector<std::string> names;
      for (const auto& h : hosts) names.push_back(h.name);
      return invalid("--control-plane " + cp + ": no such host in " + o.source + " (hosts: " + join(names) + ")");
    }
  for (const auto& gv : o.group_vars) {
    const auto eq = gv.find('=');
    if (eq == 0 || eq == std::string::npos || gv.substr(0, eq).find_first_of(" \t[]") != std::string::npos)
      return invalid("--group-vars " + gv + ": expected KEY=VALUE");
  }

  // Key checking the same for every host goes to [all:vars], once, unless
  // some host has ssh options of its own (a host's ansible_ssh_common_args
  // replaces the group's, it is not added to it).
  const bool shared = std::all_of(hosts.begin(), hosts.end(), [&](const Host& h) {
    return h.key_options == hosts.front().key_options && h.jump_options.empty();
  });
  std::string cp_lines, worker_lines;
  for (const auto& h : hosts) {
    auto line = host_line(h, !shared);
    if (!line) return line.error();
    (std::find(cps.begin(), cps.end(), h.name) != cps.end() ? cp_lines : worker_lines) += *line + "\n";
  }
  std::vector<std::string> all_vars;
  if (shared && !hosts.front().key_options.empty()) {
    auto v = ini_value(join(hosts.front().key_options, " "));
    if (!v) return v.error().context("ansible_ssh_common_args");
    all_vars.push_back("ansible_ssh_common_args=" + *v);
  }
  all_vars.insert(all_vars.end(), o.group_vars.begin(), o.group_vars.end());

  std::string& ini = out.ini;
  ini = "# Written by `fleetk8s inventory from-ssh-config` from " + o.source + ".\n";
  if (!replaced.empty())
    ini += "# " + o.source + " switches host-key checking off for " + join(replaced) +
           ";\n# here each key is trusted on first use, kept in " + o.rig_known_hosts + " and checked on every run.\n";
  ini += "\n[control_plane]\n" + cp_lines;
  if (!worker_lines.empty()) ini += "\n[workers]\n" + worker_lines;
  if (!all_vars.empty()) {
    ini += "\n[all:vars]\n";
    for (const auto& v : all_vars) ini += v + "\n";
  }

  if (!replaced.empty())
    out.notes.push_back("note: " + o.source + " switches host-key checking off for " + join(replaced) +
                        " (StrictHostKeyChecking no / UserKnownHostsFile /dev/null); the inventory trusts each "
                        "host key on first use instead and keeps it in " + o.rig_known_hosts +
                        " (StrictHostKeyChecking=accept-new in ansible_ssh_common_args)");
  if (!multi_key.empty())
    out.notes.push_back("note: " + join(multi_key) +
                        ": several IdentityFile lines; the inventory names the first (keys in ssh-agent are tried too)");
  return out;
}

}  // namespace fleetk8s::cli
