// Version comparison as Ansible's `version` test does it, with its three
// version schemes: loose (distutils LooseVersion, the default), strict
// (StrictVersion) and semver.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::tmpl::detail {

enum class VersionScheme { kLoose, kStrict, kSemver };

// <0, 0, >0 as a is older, equal or newer than b. Errors as Ansible's, e.g.
// comparing "1.27" with "v1.27" loosely: "'<' not supported between
// instances of 'int' and 'str'".
Result<int> compare_versions(const std::string& a, const std::string& b, VersionScheme scheme);

}  // namespace fleetk8s::tmpl::detail
