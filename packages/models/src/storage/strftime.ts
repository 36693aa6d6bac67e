const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function dayOfYear(d: Date): number {
  return (
    Math.floor(
      (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
        86_400_000,
    ) + 1
  );
}

/**
 * Python's `strftime` for the directives `upload_to` patterns use, in UTC:
 * `%Y %y %m %d %H %M %S %j %b %B %a %A %p %%`. Unknown directives stay as written.
 */
export function strftime(pattern: string, date: Date): string {
  return pattern.replace(/%([YymdHMSjbBaAp%])/g, (_, directive: string) => {
    switch (directive) {
      case "Y":
        return pad(date.getUTCFullYear(), 4);
      case "y":
        return pad(date.getUTCFullYear() % 100);
      case "m":
        return pad(date.getUTCMonth() + 1);
      case "d":
        return pad(date.getUTCDate());
      case "H":
        return pad(date.getUTCHours());
      case "M":
        return pad(date.getUTCMinutes());
      case "S":
        return pad(date.getUTCSeconds());
      case "j":
        return pad(dayOfYear(date), 3);
      case "b":
        return MONTHS[date.getUTCMonth()]!.slice(0, 3);
      case "B":
        return MONTHS[date.getUTCMonth()]!;
      case "a":
        return DAYS[date.getUTCDay()]!.slice(0, 3);
      case "A":
        return DAYS[date.getUTCDay()]!;
      case "p":
        return date.getUTCHours() < 12 ? "AM" : "PM";
      default:
        return "%";
    }
  });
}
