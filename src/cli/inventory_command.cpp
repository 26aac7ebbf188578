// `fleetk8s inventory list`: the inventory as `ansible-inventory --list` prints it.
// `fleetk8s inventory from-ssh-config`: an inventory from ssh_config text.
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "commands.h"
#include "fleetk8s/core/file.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/report/log.h"
#include "fleetk8s/sshconfig/ssh_config.h"
#include "ssh_config_inventory.h"

namespace fleetk8s::cli {
namespace {

namespace fs = std::filesystem;

struct FromSshConfigArgs {
  std::string input = "-";
  std::string output;
  std::vector<std::string> control_planes;
  std::vector<std::string> group_vars;
  std::string known_hosts;
};

int fail(const Error& e) {
  report::print_error(e.message());
  return 1;
}

std::string local_user() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "root";
}

int list(const std::string& path) {
  auto inv = inventory::Inventory::load(path);
  if (!inv) return fail(inv.error());
  std::puts(inv->to_ansible_list().to_json(4).c_str());
  return 0;
}

int from_ssh_config(const FromSshConfigArgs& a) {
  Result<sshconfig::SshConfig> config = Error("unread");
  std::string source = a.input;
  if (a.input == "-") {
    source = "<stdin>";
    const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    const char* home = std::getenv("HOME");
    config = sshconfig::SshConfig::parse(text, source, std::string(home ? home : "") + "/.ssh");
  } else {
    config = sshconfig::SshConfig::load(a.input);
  }
  if (!config) return fail(config.error());

  SshConfigInventoryOptions o;
  o.source = source;
  o.control_planes = a.control_planes;
  o.group_vars = a.group_vars;
  o.local_user = local_user();
  // The rig's known_hosts: --known-hosts, else next to the inventory
  // written, else in the current directory.
  std::error_code ec;
  const fs::path dir = a.output.empty() ? fs::current_path(ec) : fs::absolute(a.output, ec).parent_path();
  o.rig_known_hosts = a.known_hosts.empty() ? (dir / "known_hosts").string() : fs::absolute(a.known_hosts, ec).string();

  auto inv = inventory_from_ssh_config(*config, o);
  if (!inv) return fail(inv.error());
  for (const auto& note : inv->notes) std::fprintf(stderr, "%s\n", note.c_str());
  if (a.output.empty()) {
    std::fputs(inv->ini.c_str(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  std::ofstream out(a.output, std::ios::trunc);
  out << inv->ini;
  if (!out.flush()) return fail(Error(ErrorKind::kIo, a.output + ": cannot write the inventory"));
  return 0;
}

}  // namespace

Runner add_inventory_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("inventory", "Inspect inventories, or write one from ssh_config");
  cmd->require_subcommand(1);
  auto* list_cmd = cmd->add_subcommand("list", "Print hosts, groups and variables as JSON (as ansible-inventory --list)");
  list_cmd->add_option("-i,--inventory", *path, "Inventory file")->required();

  auto args = std::make_shared<FromSshConfigArgs>();
  auto* from = cmd->add_subcommand(
      "from-ssh-config", "Write an Ansible INI inventory from OpenSSH client configuration (e.g. `vagrant ssh-config`)");
  from->add_option("config", args->input, "ssh_config file, or - for stdin (default)");
  from->add_option("-o,--output", args->output, "Write the inventory to FILE (default: stdout)");
  from->add_option("--control-plane", args->control_planes, "Control-plane host(s) (default: the first host)")
      ->delimiter(',');
  from->add_option("--group-vars", args->group_vars, "KEY=VALUE for [all:vars] (repeatable)");
  from->add_option("--known-hosts", args->known_hosts,
                   "known_hosts for hosts whose config switches host-key checking off "
                   "(default: known_hosts next to the inventory)");
  from->footer(
      "One host per Host block with a concrete name; its HostName, Port, User and first IdentityFile become\n"
      "ansible_host, ansible_port, ansible_user and ansible_private_key_file. The first host (or --control-plane)\n"
      "goes to [control_plane], the others to [workers]. Host-key checking is never switched off: where the\n"
      "config says StrictHostKeyChecking no or UserKnownHostsFile /dev/null (as Vagrant does), keys are trusted\n"
      "on first use and kept in a known_hosts file of their own: ansible_ssh_common_args='-o\n"
      "StrictHostKeyChecking=accept-new -o UserKnownHostsFile=FILE', which ansible-playbook honours too.");
  return [path, args, list_cmd, from]() {
    if (list_cmd->parsed()) return list(*path);
    if (from->parsed()) return from_ssh_config(*args);
    return 1;
  };
}

}  // namespace fleetk8s::cli
