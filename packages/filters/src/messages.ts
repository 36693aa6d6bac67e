// Django / django-filter's user-facing messages, verbatim: DRF clients match on them.
export const messages = {
  required: "This field is required.",
  invalidNumber: "Enter a number.",
  invalidDate: "Enter a valid date.",
  invalidDateTime: "Enter a valid date/time.",
  invalidTime: "Enter a valid time.",
  invalidUuid: "Enter a valid UUID.",
  invalidChoice: (value: string) => `Select a valid choice. ${value} is not one of the available choices.`,
  invalidModelChoice: "Select a valid choice. That choice is not one of the available choices.",
  invalidPkValue: (value: string) => `“${value}” is not a valid value.`,
  rangeExpectsTwo: "Range query expects two values.",
  nullCharacters: "Null characters are not allowed.",
  tooManyItems: (count: number, limit: number) =>
    `List contains ${count} items, it should contain no more than ${limit}.`,
  invalidRegex: "Enter a valid regular expression.",
} as const;
