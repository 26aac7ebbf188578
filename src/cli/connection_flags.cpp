#include "connection_flags.h"

#include "fleetk8s/core/file.h"
#include "fleetk8s/report/secrets.h"

#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>

#include "prompt.h"

namespace fleetk8s::cli {

CLI::Validator seconds_check(bool zero_allowed, double max) {
  return CLI::Validator(
      [zero_allowed, max](std::string& text) -> std::string {
        double v = 0;
        const bool number = CLI::detail::lexical_cast(text, v);
        // NaN fails both comparisons.
        if (number && (zero_allowed ? v >= 0 : v > 0) && v <= max) return {};
        char bound[32];
        std::snprintf(bound, sizeof bound, "%g", max);
        return std::string("expected seconds, ") + (zero_allowed ? "from 0 to " : "more than 0 and at most ") + bound +
               "; got " + text;
      },
      "SECONDS");
}

CLI::Validator connect_timeout_check() { return seconds_check(false, 3600); }

void add_connection_flags(CLI::App& cmd, ConnectionFlags& f, bool inventory_argument) {
  if (inventory_argument)
    cmd.add_option("inventory,-i,--inventory", f.inventory, "Inventory file (Ansible INI or YAML)")->required();
  else
    cmd.add_option("-i,--inventory", f.inventory, "Inventory file (Ansible INI or YAML)")->required();
  cmd.add_option("-l,--limit", f.limit, "Host pattern to select hosts (Ansible syntax: web:&prod:!web3)");
  cmd.add_option("-f,--forks", f.forks, "Hosts handled at once")->check(CLI::Range(1, 10000))->capture_default_str();
  cmd.add_option("-u,--user", f.user, "Remote user when the inventory sets no ansible_user (default: $USER)");
  cmd.add_option("--private-key", f.private_key, "Private key file when the inventory sets none");
  cmd.add_flag("-k,--ask-pass", f.ask_pass, "Ask for the SSH password");
  cmd.add_option("--connection-password-file", f.connection_password_file, "Read the SSH password from a file");
  cmd.add_option("--known-hosts", f.known_hosts, "known_hosts file (default: ssh_config's, else ~/.ssh/known_hosts)");
  cmd.add_option("--host-key-checking", f.host_key_checking,
                 "strict, accept-new or off (default: ssh_config's StrictHostKeyChecking, else strict)")
      ->check(CLI::IsMember({"strict", "accept-new", "off", "yes", "no"}));
  cmd.add_option("--connect-timeout", f.connect_timeout,
                 "Seconds to connect, handshake and log in (default: ssh_config's, else 10)")
      ->check(connect_timeout_check());
  cmd.add_option("--connect-parallel", f.connect_parallel,
                 "Logins (TCP connect, SSH handshake, authentication) in progress at once, apart from --forks "
                 "(default: 8 per CPU core, 8-64; 0: no bound)")
      ->check(CLI::Range(0, 10000));
  cmd.add_option("--connect-retries", f.connect_retries,
                 "Times to try again, after a growing pause, when connecting timed out or was refused "
                 "(never after an authentication or host key failure)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd.add_option("-F,--ssh-config", f.ssh_config,
                 "OpenSSH client configuration to read (default: ~/.ssh/config, then /etc/ssh/ssh_config; "
                 "'none': none)");
  cmd.add_option("-J,--jump", f.jump,
                 "Reach every host through these jump hosts, as ssh -J: [user@]host[:port][,...]");
  cmd.add_flag("-b,--become", f.become, "Run commands with sudo");
  cmd.add_option("--become-user", f.become_user, "User to become (default: root)");
  cmd.add_flag("-K,--ask-become-pass", f.ask_become_pass, "Ask for the sudo password");
  cmd.add_option("--become-password-file", f.become_password_file, "Read the sudo password from a file");
  cmd.add_flag("-v,--verbose", f.verbosity, "More detail (-vv for debug)");
}

namespace {

// OpenSSH's choice of client configuration: -F FILE alone, or the user's
// file then the system's (missing files count as empty).
Result<std::shared_ptr<const sshconfig::SshConfig>> load_ssh_config(const std::string& flag) {
  if (flag == "none") return std::shared_ptr<const sshconfig::SshConfig>();
  if (!flag.empty()) {
    auto c = sshconfig::SshConfig::load(expand_home(flag));
    if (!c) return c.error();
    return std::shared_ptr<const sshconfig::SshConfig>(std::make_shared<sshconfig::SshConfig>(std::move(*c)));
  }
  auto all = std::make_shared<sshconfig::SshConfig>();
  for (const std::string& path : {expand_home("~/.ssh/config"), std::string("/etc/ssh/ssh_config")}) {
    struct stat st {};
    if (path.rfind("~", 0) == 0 || ::stat(path.c_str(), &st) != 0) continue;
    auto c = sshconfig::SshConfig::load(path);
    if (!c) return c.error();
    all->append(*c);
  }
  return std::shared_ptr<const sshconfig::SshConfig>(std::move(all));
}

}  // namespace

orchestrator::ConnectPacing connect_pacing(const ConnectionFlags& f) {
  orchestrator::ConnectPacing p;
  if (f.connect_parallel >= 0) p.parallel = f.connect_parallel;
  p.retries = f.connect_retries;
  return p;
}

Result<orchestrator::ConnectionDefaults> resolve(const ConnectionFlags& f) {
  orchestrator::ConnectionDefaults d;
  d.user = f.user;
  if (!f.private_key.empty()) d.private_key_file = f.private_key;
  d.known_hosts_file = f.known_hosts;
  if (!f.host_key_checking.empty()) d.host_key_policy = *ssh::parse_host_key_policy(f.host_key_checking);
  if (f.connect_timeout > 0)
    d.connect_timeout = std::chrono::milliseconds(static_cast<long>(f.connect_timeout * 1000));
  if (!f.jump.empty()) d.jump = f.jump;
  auto config = load_ssh_config(f.ssh_config);
  if (!config) return config.error();
  d.ssh_config = std::move(*config);
  d.become = f.become;
  if (!f.become_user.empty()) d.become_user = f.become_user;
  if (const char* p = std::getenv("FLEETK8S_KEY_PASSPHRASE")) d.key_passphrase = p;

  if (!f.connection_password_file.empty()) {
    auto p = read_secret_file(f.connection_password_file);
    if (!p) return p.error();
    d.password = *p;
  } else if (f.ask_pass) {
    auto p = prompt_secret("SSH password: ");
    if (!p) return p.error();
    d.password = *p;
  }
  if (!f.become_password_file.empty()) {
    auto p = read_secret_file(f.become_password_file);
    if (!p) return p.error();
    d.become_password = *p;
  } else if (f.ask_become_pass) {
    auto p = prompt_secret("BECOME password: ");
    if (!p) return p.error();
    d.become_password = *p;
  }
  // Passwords and passphrases never reach a log line or report.
  for (const auto* secret : {&d.password, &d.become_password, &d.key_passphrase})
    if (*secret) report::add_secret(**secret);
  return d;
}

}  // namespace fleetk8s::cli
