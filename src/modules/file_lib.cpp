#include "file_lib.h"

#include <cstdio>
#include <regex>

#include "arg_check.h"

namespace fleetk8s::modules {

namespace {

// The mode in args as chmod takes it ("" when none was asked for).
std::string wanted_mode(const Value::Object& args) {
  auto it = args.find("mode");
  if (it == args.end() || it->second.is_null()) return "";
  auto m = normalise_mode(it->second);
  return m ? *m : "";
}

bool is_octal(const std::string& mode) { return mode.find_first_not_of("01234567") == std::string::npos; }

}  // namespace

Result<void> check_attribute_args(const Value::Object& args) {
  if (auto it = args.find("mode"); it != args.end() && !it->second.is_null()) {
    if (auto m = normalise_mode(it->second); !m) return m.error();
  }
  for (const char* key : {"owner", "group"}) {
    const std::string v = arg_string(args, key);
    if (v.empty()) continue;
    if (auto ok = check_name(key, v, "._-", std::string("a user or group name or id")); !ok) return ok;
  }
  return {};
}

std::string prepare_temp_snippet(const std::string& dest, const RunMode& mode) {
  std::string s = "fk_dest=" + shell_quote(dest) + "\n";
  s += "case \"$fk_dest\" in */*) fk_dir=\"${fk_dest%/*}\" ;; *) fk_dir=. ;; esac\n[ -n \"$fk_dir\" ] || fk_dir=/\n";
  if (mode.check) {
    s += "if [ ! -d \"$fk_dir\" ]; then printf 'directory %s not found (an earlier task would create it)\\n' \"$fk_dir\"; "
         "exit 100; fi\n";
  } else {
    s += "if [ ! -d \"$fk_dir\" ]; then printf 'Destination directory %s does not exist\\n' \"$fk_dir\" >&2; exit 1; fi\n";
  }
  s += "if [ -d \"$fk_dest\" ]; then printf 'Destination %s is a directory\\n' \"$fk_dest\" >&2; exit 1; fi\n";
  s += "[ -z \"${fk_tmp:-}\" ] || rm -f -- \"$fk_tmp\"\n";
  // Check mode only compares: its scratch copy (0600) goes to $TMPDIR, so
  // the destination's directory is not touched (its ctime stays).
  s += mode.check ? "fk_tmp=$(mktemp) || exit 1\n" : "fk_tmp=$(mktemp -- \"$fk_dir/.fleetk8s.tmp.XXXXXXXXXX\") || exit 1\n";
  return s + kRemoveTempOnExit;
}

std::string temp_attributes_snippet(const Value::Object& args) {
  const std::string owner = arg_string(args, "owner"), group = arg_string(args, "group");
  std::string s;
  if (owner.empty() || group.empty()) {
    s += "if [ -e \"$fk_dest\" ]; then chown --reference=\"$fk_dest\" -- \"$fk_tmp\" 2>/dev/null; fi\n";
  }
  if (!owner.empty()) s += "fk_owner=" + shell_quote(owner) + "; chown -- \"$fk_owner\" \"$fk_tmp\" || exit 1\n";
  if (!group.empty()) s += "fk_group=" + shell_quote(group) + "; chgrp -- \"$fk_group\" \"$fk_tmp\" || exit 1\n";
  const std::string mode = wanted_mode(args);
  if (mode.empty()) {
    s += "if [ -e \"$fk_dest\" ]; then chmod --reference=\"$fk_dest\" -- \"$fk_tmp\" || exit 1; "
         "else chmod -- 0644 \"$fk_tmp\" || exit 1; fi\n";
  } else if (is_octal(mode)) {
    s += "chmod -- " + mode + " \"$fk_tmp\" || exit 1\n";
  } else {
    // A symbolic mode works from the current one: it is worked out on an
    // empty scratch file, so the content never has the starting mode.
    s += "fk_ref=$(mktemp) || exit 1\n";
    s += "if [ -e \"$fk_dest\" ]; then chmod --reference=\"$fk_dest\" -- \"$fk_ref\"; else chmod -- 0644 \"$fk_ref\"; fi && "
         "chmod -- " + shell_quote(mode) + " \"$fk_ref\" && chmod --reference=\"$fk_ref\" -- \"$fk_tmp\"\n";
    s += "fk_rc=$?; rm -f -- \"$fk_ref\"; [ \"$fk_rc\" = 0 ] || exit 1\n";
  }
  return s;
}

std::string install_temp_snippet(const Value::Object& args, const RunMode& mode, bool backup) {
  std::string s = "if [ -f \"$fk_dest\" ] && cmp -s -- \"$fk_tmp\" \"$fk_dest\"; then :; else\n  fk_changed=1\n";
  if (mode.diff) {
    s += "  if [ -f \"$fk_dest\" ]; then diff -u --label \"before: $fk_dest\" --label \"after: $fk_dest\" -- "
         "\"$fk_dest\" \"$fk_tmp\"; else diff -u --label /dev/null --label \"after: $fk_dest\" -- /dev/null "
         "\"$fk_tmp\"; fi\n";
  }
  if (mode.check) {
    return s + "fi\n" + when_exists("[ -f \"$fk_dest\" ]", attributes_snippet("fk_dest", args, mode));
  }
  s += temp_attributes_snippet(args);
  if (backup) s += "  [ -f \"$fk_dest\" ] && cp -p -- \"$fk_dest\" \"$fk_dest.$(date +%Y-%m-%d@%H:%M:%S)~\"\n";
  s += "  mv -f -- \"$fk_tmp\" \"$fk_dest\" || exit 1\n  fk_tmp=\nfi\n";
  return s + attributes_snippet("fk_dest", args, mode);
}

std::string when_exists(const std::string& condition, const std::string& snippet) {
  if (snippet.empty()) return "";
  return "if " + condition + "; then\n" + snippet + "fi\n";
}

Result<std::string> normalise_mode(const Value& mode) {
  // YAML may give 0644 as the integer 420 (octal literal) or as "0644".
  if (mode.is_int()) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04llo", static_cast<unsigned long long>(mode.as_int()));
    return std::string(buf);
  }
  std::string s = mode.to_display();
  const bool octal = !s.empty() && s.size() <= 4 && is_octal(s);
  if (octal) return std::string(4 - s.size(), '0') + s;
  static const std::regex symbolic("[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*");
  if (std::regex_match(s, symbolic)) return s;
  return Error(ErrorKind::kInvalidInput,
               "mode must be octal (\"0644\") or symbolic (\"u=rw,g=r\"), got \"" + shown(s) + "\"");
}

std::string attributes_snippet(const std::string& var, const Value::Object& args, const RunMode& mode) {
  std::string s;
  const std::string v = "\"$" + var + "\"";
  const std::string want = wanted_mode(args);
  if (!want.empty() && is_octal(want)) {
    // stat prints 644 where we hold 0644.
    const size_t first = want.find_first_not_of('0');
    const std::string bare = first == std::string::npos ? "0" : want.substr(first);
    s += "if [ \"$(stat -c %a -- " + v + ")\" != " + bare + " ]; then fk_changed=1";
    s += mode.check ? "; fi\n" : "; chmod -- " + want + " " + v + " || exit 1; fi\n";
  } else if (!want.empty()) {
    // Symbolic: apply it and compare.
    s += "fk_before=$(stat -c %a -- " + v + ")\n";
    if (!mode.check) s += "chmod -- " + shell_quote(want) + " " + v + " || exit 1\n";
    s += "[ \"$(stat -c %a -- " + v + ")\" != \"$fk_before\" ] && fk_changed=1\n";
  }
  // Owner and group are compared as data: by name or by id.
  for (const char* key : {"owner", "group"}) {
    const std::string name = arg_string(args, key);
    if (name.empty()) continue;
    const bool owner = std::string(key) == "owner";
    const std::string var_name = owner ? "fk_owner" : "fk_group";
    s += var_name + "=" + shell_quote(name) + "\n";
    s += std::string("if [ \"$(stat -c ") + (owner ? "%U" : "%G") + " -- " + v + ")\" != \"$" + var_name +
         "\" ] && [ \"$(stat -c " + (owner ? "%u" : "%g") + " -- " + v + ")\" != \"$" + var_name + "\" ]; then fk_changed=1";
    s += mode.check ? "; fi\n"
                    : std::string("; ") + (owner ? "chown" : "chgrp") + " -- \"$" + var_name + "\" " + v + " || exit 1; fi\n";
  }
  return s;
}

}  // namespace fleetk8s::modules
