#include "file_lib.h"

#include <cstdio>
#include <random>
#include <regex>

namespace fleetk8s::modules {

std::string temp_suffix() {
  static std::mt19937_64 rng{std::random_device{}()};
  char buf[24];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
  return buf;
}

std::string prepare_temp_snippet(const std::string& dest) {
  std::string s = "fk_dest=" + quote(dest) + "\n";
  s += "case \"$fk_dest\" in */*) fk_dir=\"${fk_dest%/*}\" ;; *) fk_dir=. ;; esac\n[ -n \"$fk_dir\" ] || fk_dir=/\n";
  s += "if [ ! -d \"$fk_dir\" ]; then echo \"Destination directory $fk_dir does not exist\" >&2; exit 1; fi\n";
  s += "if [ -d \"$fk_dest\" ]; then echo \"Destination $fk_dest is a directory\" >&2; exit 1; fi\n";
  s += "fk_tmp=\"$fk_dir/.fleetk8s.tmp." + temp_suffix() + "\"\n";
  s += "fk_tmps=\"$fk_tmps $fk_tmp\"\ntrap 'rm -f $fk_tmps' EXIT\n";
  return s;
}

std::string install_temp_snippet(const Value::Object& args, const RunMode& mode, bool backup) {
  std::string s = "if [ -f \"$fk_dest\" ] && cmp -s \"$fk_tmp\" \"$fk_dest\"; then :; else\n  fk_changed=1\n";
  if (mode.diff) {
    s += "  if [ -f \"$fk_dest\" ]; then diff -u --label \"before: $fk_dest\" --label \"after: $fk_dest\" "
         "\"$fk_dest\" \"$fk_tmp\"; else diff -u --label /dev/null --label \"after: $fk_dest\" /dev/null "
         "\"$fk_tmp\"; fi\n";
  }
  if (mode.check) {
    return s + "fi\n" + when_exists("[ -f \"$fk_dest\" ]", attributes_snippet("fk_dest", args, mode));
  }
  s += "  if [ -f \"$fk_dest\" ]; then chmod --reference=\"$fk_dest\" \"$fk_tmp\"; "
       "chown --reference=\"$fk_dest\" \"$fk_tmp\" 2>/dev/null; else chmod 0644 \"$fk_tmp\"; fi\n";
  if (backup) s += "  [ -f \"$fk_dest\" ] && cp -p \"$fk_dest\" \"$fk_dest.$(date +%Y-%m-%d@%H:%M:%S)~\"\n";
  s += "  mv -f \"$fk_tmp\" \"$fk_dest\" || exit 1\nfi\n";
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
  const bool octal = !s.empty() && s.size() <= 4 && s.find_first_not_of("01234567") == std::string::npos;
  if (octal) return std::string(4 - s.size(), '0') + s;
  static const std::regex symbolic("[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*");
  if (std::regex_match(s, symbolic)) return s;
  return Error(ErrorKind::kInvalidInput, "mode must be octal (\"0644\") or symbolic (\"u=rw,g=r\"), got \"" + s + "\"");
}

std::string attributes_snippet(const std::string& var, const Value::Object& args, const RunMode& mode) {
  std::string s;
  const std::string v = "\"$" + var + "\"";
  auto it = args.find("mode");
  if (it != args.end() && !it->second.is_null()) {
    auto m = normalise_mode(it->second);
    const std::string want = m ? *m : it->second.to_display();
    if (m && m->find_first_not_of("01234567") == std::string::npos) {
      // stat prints 644 where we hold 0644.
      std::string bare = want.substr(want.find_first_not_of('0') == std::string::npos ? want.size() - 1
                                                                                     : want.find_first_not_of('0'));
      s += "if [ \"$(stat -c %a " + v + ")\" != \"" + bare + "\" ]; then fk_changed=1";
      s += mode.check ? "; fi\n" : "; chmod " + want + " " + v + " || exit 1; fi\n";
    } else {
      // Symbolic: apply to a scratch copy of the mode and compare.
      s += "fk_before=$(stat -c %a " + v + ")\n";
      if (!mode.check) s += "chmod " + quote(want) + " " + v + " || exit 1\n";
      s += "[ \"$(stat -c %a " + v + ")\" != \"$fk_before\" ] && fk_changed=1\n";
    }
  }
  for (const char* key : {"owner", "group"}) {
    const std::string want = arg_string(args, key);
    if (want.empty()) continue;
    const std::string fmt = std::string(key) == "owner" ? "%U" : "%G";
    const std::string alt = std::string(key) == "owner" ? "%u" : "%g";
    const std::string cmd = std::string(key) == "owner" ? "chown " : "chgrp ";
    s += "fk_now=$(stat -c '" + fmt + " " + alt + "' " + v + ")\n";
    s += "case \" $fk_now \" in *\" " + want + " \"*) ;; *) fk_changed=1";
    s += mode.check ? " ;; esac\n" : "; " + cmd + quote(want) + " " + v + " || exit 1 ;; esac\n";
  }
  return s;
}

}  // namespace fleetk8s::modules
