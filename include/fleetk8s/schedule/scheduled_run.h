// The command line a timer runs: `fleetk8s up INVENTORY ...` (or `check`, or
// `backup`; or the long-running `watch` a service keeps up), built from what
// `fleetk8s schedule install` was given. A scheduled run is
// unattended, starts in another directory and is written into a unit file
// that others may read, so this is where those rules live: paths become
// absolute, nothing may prompt, and no secret is written down (a password
// file's path is fine, a password is not). Pure: no file is read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::schedule {

// An option passed through to the run: "--limit" "web*", or a flag ("-b")
// with an empty value and `has_value` false.
struct PassOption {
  std::string name;
  std::string value;
  bool has_value = true;
  bool is_path = false;  // made absolute against the install directory
};

// One -e item and the variable names it sets (the caller parses it; for
// @FILE items the names are not looked at: the file stays where it is).
struct ExtraVarsItem {
  std::string item;
  std::vector<std::string> names;
};

struct RunRequest {
  std::string fleetk8s;   // absolute path of the fleetk8s binary
  std::string inventory;  // as given (made absolute)
  bool check_only = false;
  bool backup = false;    // `fleetk8s backup` (an etcd snapshot) instead of up/check
  bool watch = false;     // `fleetk8s watch` (a long-running service) instead of up/check
  std::vector<ExtraVarsItem> extra_vars;
  std::vector<PassOption> options;
  std::string wait_lock;  // up only: --wait-lock DURATION; empty: not passed
  std::string cwd;        // absolute: where relative paths are resolved
};

// argv of the run: [fleetk8s, "up"|"check"|"backup"|"watch", /abs/inventory, -e ...,
// options..., --wait-lock D (up only)]. Errors (kInvalidInput):
//   "-e ansible_become_password=...: a scheduled run's command line is written into a unit file: pass
//    secrets in a file (-e @FILE, --become-password-file FILE), not on the command line"
Result<std::vector<std::string>> scheduled_command(const RunRequest& request);

// True for variable names that hold secrets by convention: *pass*,
// *secret*, *token*, *_key (certificate_key, api_key, private_key), unless
// they name a file or path (*_file, *_path, *_dir).
bool looks_like_secret(std::string_view name);

// `path` made absolute against `cwd` ("~/" is left to the caller), with
// "." and ".." segments removed lexically.
std::string absolute_path(std::string_view path, std::string_view cwd);

}  // namespace fleetk8s::schedule
