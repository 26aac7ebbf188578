// group_vars/ and host_vars/ beside an inventory file, read the way
// Ansible's host_group_vars vars plugin reads them.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/inventory/inventory.h"

namespace fleetk8s::inventory {

// For every group and host of `inv`, reads BASEDIR/group_vars/NAME or
// BASEDIR/host_vars/NAME: the first of NAME, NAME.yml, NAME.yaml,
// NAME.json that exists; if it is a directory, every file in it (sorted,
// recursively, skipping hidden files, backups~ and other extensions),
// later files winning. Errors name the file: "FILE:LINE:COL: message".
Result<void> load_vars_dirs(Inventory& inv, const std::string& basedir);

}  // namespace fleetk8s::inventory
