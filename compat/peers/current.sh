#!/usr/bin/env bash
# Fetches the current Debian release's pure-Python peers (Flask 3.1,
# Werkzeug 3.1, itsdangerous 2.2, Django 4.2, Starlette 0.46, Quart 0.20,
# Flask-Login 0.6.3, Flask-WTF 1.2.2) and unpacks them into a private folder,
# to be put first on PYTHONPATH in front of Debian 12's system packages.
#
#   dir=$(bash compat/peers/current.sh)        # prints the folder
#   PYTHONPATH=$dir FLASKCOOKIE_PEERS=current go test ./...
#
# The archive is the one the machine's own apt sources already name (read
# from apt's configuration, never written here). apt runs with a private
# state folder, so the system's sources, lists and cache stay as they are.
# Nothing is installed; the .deb files are only unpacked with dpkg-deb -x.
# A second run reuses the folder when every package is already there.
set -euo pipefail

release=${FLASKCOOKIE_PEERS_RELEASE:-trixie}
base=${FLASKCOOKIE_PEERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flaskcookie/peers-$release}
packages=(python3-flask python3-werkzeug python3-itsdangerous python3-blinker
	python3-django python3-starlette python3-quart python3-flask-login
	python3-flaskext.wtf)
site=$base/root/usr/lib/python3/dist-packages

if [ -f "$base/done" ] && [ "$(cat "$base/done")" = "${packages[*]}" ] && [ -d "$site/flask" ]; then
	echo "$site"
	exit 0
fi

# The archive URIs this machine's apt already uses: the one that serves the
# machine's own release, and the one that serves its security updates.
here=$(. /etc/os-release && echo "$VERSION_CODENAME")
main_uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk -v r="$here" '$2 == r {print $1; exit}')
security_uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk -v r="$here-security" '$2 == r {print $1; exit}')
if [ -z "$main_uri" ]; then
	echo "compat/peers/current.sh: no apt source serves $here; run apt-get update first" >&2
	exit 1
fi

state=$base/apt
rm -rf "$base/root" "$base/debs" "$state"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/etc/preferences.d" "$base/debs" "$base/root"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
	echo "deb [signed-by=$keyring] $main_uri $release main"
	echo "deb [signed-by=$keyring] $main_uri $release-updates main"
	[ -n "$security_uri" ] && echo "deb [signed-by=$keyring] $security_uri $release-security main"
} >"$state/etc/sources.list"
: >"$state/status"
apt_opts=(-o "Dir::Etc::SourceList=$state/etc/sources.list"
	-o "Dir::Etc::SourceParts=/nonexistent"
	-o "Dir::Etc::Preferences=/nonexistent"
	-o "Dir::Etc::PreferencesParts=$state/etc/preferences.d"
	-o "Dir::State=$state" -o "Dir::State::Lists=$state/lists"
	-o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache" -o "APT::Architecture=$(dpkg --print-architecture)"
	-o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -qq)
apt-get "${apt_opts[@]}" update >&2
(cd "$base/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}" >&2)
for deb in "$base"/debs/*.deb; do
	dpkg-deb -x "$deb" "$base/root"
done
# Record what was unpacked, with versions, for the tests' provenance.
for deb in "$base"/debs/*.deb; do
	dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb"
done >"$base/versions.txt"
sed 's/^/compat\/peers\/current.sh: /' "$base/versions.txt" >&2
echo "${packages[*]}" >"$base/done"
echo "$site"
