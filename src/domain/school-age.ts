/**
 * Compulsory education (nine years, 义务教育) is for children of 6 to 15: the age at which the
 * registry calls a child of school age and education raises a dropout alert.
 */
export const isCompulsorySchoolAge = (age: number) => age >= 6 && age <= 15;
