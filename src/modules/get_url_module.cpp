// get_url: a file downloaded with the host's `curl -fsSL` into a temporary
// file next to dest, then moved into place when it differs. With force=no
// an existing dest is kept (when a checksum is given, only if it matches),
// which costs no download at all; check mode never downloads.
#include <algorithm>
#include <cctype>

#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

// The last path segment of `url` (Ansible's url_filename), or index.html.
std::string url_filename(const std::string& url) {
  std::string path = url;
  if (size_t scheme = path.find("://"); scheme != std::string::npos) {
    path = path.substr(scheme + 3);
    const size_t slash = path.find('/');
    path = slash == std::string::npos ? "" : path.substr(slash);
  }
  path = path.substr(0, path.find_first_of("?#"));
  const std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  return name.empty() ? "index.html" : name;
}

struct Checksum {
  std::string algorithm;  // "" when none was asked for
  std::string hex;
};

// "sha256:HEX" as Ansible reads it: non-word characters dropped, lower case.
Result<Checksum> parse_checksum(const std::string& spec) {
  if (spec.empty()) return Checksum{};
  const size_t colon = spec.find(':');
  if (colon == std::string::npos) {
    return Error(ErrorKind::kInvalidInput, "The checksum parameter has to be in format <algorithm>:<checksum>");
  }
  Checksum c{spec.substr(0, colon), ""};
  const std::string value = spec.substr(colon + 1);
  if (value.find("://") != std::string::npos) {
    return Error(ErrorKind::kInvalidInput, "a checksum given as a URL is not supported; give the digest itself");
  }
  static const std::vector<std::string> algorithms = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
  if (std::find(algorithms.begin(), algorithms.end(), c.algorithm) == algorithms.end()) {
    return Error(ErrorKind::kInvalidInput, "unsupported checksum algorithm \"" + c.algorithm + "\"");
  }
  for (char ch : value) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') c.hex += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (c.hex.empty() || c.hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Error(ErrorKind::kInvalidInput, "The checksum format is invalid");
  }
  return c;
}

class GetUrlModule final : public Module {
 public:
  std::string_view name() const override { return "get_url"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("get_url");
    return made;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const override {
    Outcome o = Module::interpret(ran, args, mode);
    o.diff.clear();  // no diff for downloads; stdout carries nothing else
    o.result["url"] = arg_string(args, "url");
    o.result["dest"] = arg_string(args, "dest");
    return o;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    if (auto ok = no_nul(args); !ok) return ok.error();
    const std::string url = arg_string(args, "url"), dest = arg_string(args, "dest");
    if (url.empty()) return Error(ErrorKind::kInvalidInput, "url is required");
    if (dest.empty()) return Error(ErrorKind::kInvalidInput, "dest is required");
    if (auto ok = one_line("url", url); !ok) return ok.error();
    if (auto ok = check_attribute_args(args); !ok) return ok.error();
    const std::string file_name = url_filename(url);
    if (file_name == "." || file_name == "..") {
      return Error(ErrorKind::kInvalidInput, "url: \"" + shown(url) + "\" names no file to save in a directory dest");
    }
    auto sum = parse_checksum(arg_string(args, "checksum"));
    if (!sum) return sum.error();
    const bool force = arg_bool(args, "force", false);
    const std::string timeout = arg_string(args, "timeout", "10");
    if (timeout.find_first_not_of("0123456789") != std::string::npos) {
      return Error(ErrorKind::kInvalidInput, "timeout must be a number of seconds, got \"" + timeout + "\"");
    }

    std::string s = std::string(kScriptHead) + "fk_changed=0\nfk_url=" + shell_quote(url) + "\nfk_dest=" + shell_quote(dest) + "\n";
    s += "if [ -d \"$fk_dest\" ]; then fk_dest=\"${fk_dest%/}/\"" + shell_quote(file_name) + "; fk_fetch=1; else fk_fetch=0; fi\n";
    s += "case \"$fk_dest\" in */*) fk_dir=\"${fk_dest%/*}\" ;; *) fk_dir=. ;; esac\n[ -n \"$fk_dir\" ] || fk_dir=/\n";
    s += "if [ ! -d \"$fk_dir\" ]; then echo \"Destination $fk_dir does not exist\" >&2; exit 1; fi\n";
    const std::string attrs = attributes_snippet("fk_dest", args, mode);
    // An existing file is kept unless forced (or its checksum is wrong).
    if (!force) {
      s += "if [ \"$fk_fetch\" = 0 ] && [ -e \"$fk_dest\" ]; then\n";
      if (!sum->algorithm.empty()) {
        s += "  fk_have=$(" + sum->algorithm + "sum < \"$fk_dest\") || exit 1\n";
        s += "  [ \"${fk_have%% *}\" = " + shell_quote(sum->hex) + " ] || fk_fetch=1\n";
      }
      s += "  if [ \"$fk_fetch\" = 0 ]; then\n" + attrs + "  " + kExitByChange + "  fi\nfi\n";
    }
    if (mode.check) {
      // Ansible only sends a HEAD request here: report that it would download.
      return s + "exit 100\n";
    }
    s += "fk_tmp=$(mktemp -- \"$fk_dir/.fleetk8s.tmp.XXXXXXXXXX\") || exit 1\n";
    s += kRemoveTempOnExit;
    s += "if ! curl -fsSL --connect-timeout " + timeout + " -o \"$fk_tmp\" -- \"$fk_url\"; then\n"
         "  printf 'Request failed: %s\\n' \"$fk_url\" >&2; exit 1\nfi\n";
    if (!sum->algorithm.empty()) {
      s += "fk_got=$(" + sum->algorithm + "sum < \"$fk_tmp\") || exit 1\nfk_got=${fk_got%% *}\n";
      s += "if [ \"$fk_got\" != " + shell_quote(sum->hex) + " ]; then\n"
           "  echo \"The checksum for $fk_dest did not match " + sum->hex + "; it was $fk_got.\" >&2; exit 1\nfi\n";
    }
    s += "if [ -f \"$fk_dest\" ] && cmp -s -- \"$fk_tmp\" \"$fk_dest\"; then :; else\n  fk_changed=1\n";
    s += temp_attributes_snippet(args);
    if (arg_bool(args, "backup", false)) {
      s += "  if [ -e \"$fk_dest\" ]; then cp -p -- \"$fk_dest\" \"$fk_dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~\" || exit 1; fi\n";
    }
    s += "  mv -f -- \"$fk_tmp\" \"$fk_dest\" || exit 1\n  fk_tmp=\nfi\n";
    return s + attrs + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_get_url_module() { return std::make_unique<GetUrlModule>(); }

}  // namespace fleetk8s::modules
