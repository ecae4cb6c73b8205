#!/usr/bin/env bash
# Copies the Compose renders (android/run screenshots -> android/screenshots/
# SCREEN-FORM-THEME-LANG.png) into fastlane's folders at sizes the stores
# accept, light theme only, padded (not stretched) with the render's own
# corner colour. Needs ImageMagick (`convert`). Run after the UI renders exist;
# fastlane/check-metadata then checks the sizes.
#   phone  -> Play phoneScreenshots (1080x1920, 9:16; Play allows at most 2:1)  and App Store iPhone 6.9" (1320x2868)
#   tablet -> Play tenInchScreenshots (as rendered, fitted) and App Store iPad 13" (2064x2752)
# Languages: en -> en-US, cs -> cs-CZ (Play) / cs (App Store), de -> de-DE.
set -euo pipefail
cd "$(dirname "$0")/.."
src=android/screenshots
[ -d "$src" ] || { echo "no $src: run ./android/run screenshots first" >&2; exit 1; }
command -v convert >/dev/null || { echo "ImageMagick's convert is needed" >&2; exit 1; }

fit() { # in out WxH
    local bg
    bg="$(convert "$1" -format '%[pixel:p{0,0}]' info:)"
    convert "$1" -resize "$3" -background "$bg" -gravity center -extent "$3" "$2"
}

stamp="$(mktemp)"
n=0
for f in "$src"/*-light-*.png; do
    [ -e "$f" ] || continue
    base="$(basename "$f" .png)"            # people-phone-light-en
    lang="${base##*-}"; rest="${base%-light-*}"; form="${rest##*-}"; screen="${rest%-*}"
    case "$lang" in en) play=en-US; apple=en-US ;; cs) play=cs-CZ; apple=cs ;; de) play=de-DE; apple=de-DE ;; *) continue ;; esac
    case "$form" in
        phone) pdir=phoneScreenshots; psize=1080x1920; asize=1320x2868 ;;
        tablet) pdir=tenInchScreenshots; psize=2560x1600; asize=2752x2064 ;;
        *) continue ;;
    esac
    # tablets are rendered in landscape or portrait: keep the orientation
    w="$(identify -format %w "$f")"; h="$(identify -format %h "$f")"
    if [ "$form" = tablet ] && [ "$h" -gt "$w" ]; then psize=1600x2560; asize=2064x2752; fi
    mkdir -p "fastlane/metadata/android/$play/images/$pdir" "fastlane/screenshots/$apple"
    fit "$f" "fastlane/metadata/android/$play/images/$pdir/$screen.png" "$psize"
    fit "$f" "fastlane/screenshots/$apple/$form-$screen.png" "$asize"
    n=$((n + 1))
done
# Resizing turns the renders' palette PNGs into full-colour ones, about three
# times the size: they are made palette PNGs again (256 colours keep flat UI
# colours and text), as android/run does for the renders, when pngquant
# (Debian's `pngquant`) is installed.
if command -v pngquant >/dev/null; then
    find fastlane/metadata/android fastlane/screenshots -name '*.png' -newer "$stamp" -print0 |
        xargs -0 -r pngquant --quality 80-98 --speed 1 --strip --skip-if-larger --force --ext .png || true
else
    echo "pngquant is missing (Debian: pngquant): the screenshots stay full-colour PNGs" >&2
fi
rm -f "$stamp"
echo "$n renders copied into fastlane/metadata/android/*/images and fastlane/screenshots" >&2
