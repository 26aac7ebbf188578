// Where fleetk8s finds the files it ships beside its binary.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::cli {

// The directory of fleetk8s' own playbooks (prepare.yml, vars/defaults.yml, ...)
// for up/check/reset/kubeconfig and `schedule install`. Looked up in order:
//   1. `flag` (--playbook-dir), when not empty, taken as given;
//   2. $FLEETK8S_PLAYBOOK_DIR, when set and not empty, taken as given;
//   3. the installed copy next to this executable, found through
//      /proc/self/exe: <prefix>/bin/../share/fleetk8s/playbooks (the relative
//      part comes from the install layout, see cmake/Packaging.cmake), so a
//      package or `cmake --install --prefix ANY` works wherever it lands;
//   4. the source tree this executable was built from (its playbooks/), so
//      build/src/cli/fleetk8s works without installing.
// An installed copy comes before the source tree: an installed fleetk8s
// runs what was installed with it even on the machine that built it.
// Fails (kNotFound, naming the places looked) when 3 and 4 do not exist.
Result<std::string> playbook_dir(const std::string& flag);

}  // namespace fleetk8s::cli
