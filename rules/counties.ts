/**
 * Missouri's 114 counties and St. Louis City: the county seat (approximately, for distances) and
 * the MOPD region each is grouped into for search and reports.
 */
import type { Region } from './domain.js';

export const COUNTIES: ReadonlyArray<readonly [name: string, latitude: number, longitude: number, region: Region]> = [
  ['Adair', 40.19, -92.58, 'Northeast'], ['Andrew', 39.94, -94.83, 'Northwest'], ['Atchison', 40.41, -95.52, 'Northwest'], ['Audrain', 39.17, -91.88, 'Northeast'],
  ['Barry', 36.68, -93.87, 'Southwest'], ['Barton', 37.5, -94.28, 'Southwest'], ['Bates', 38.26, -94.33, 'Kansas City'], ['Benton', 38.24, -93.38, 'Central'],
  ['Bollinger', 37.31, -89.97, 'Southeast'], ['Boone', 38.95, -92.33, 'Central'], ['Buchanan', 39.77, -94.85, 'Northwest'], ['Butler', 36.76, -90.39, 'Southeast'],
  ['Caldwell', 39.64, -94.04, 'Northwest'], ['Callaway', 38.85, -91.95, 'Central'], ['Camden', 38.01, -92.74, 'Central'], ['Cape Girardeau', 37.38, -89.67, 'Southeast'],
  ['Carroll', 39.36, -93.5, 'Northwest'], ['Carter', 36.99, -91.01, 'Southeast'], ['Cass', 38.65, -94.35, 'Kansas City'], ['Cedar', 37.7, -93.8, 'Southwest'],
  ['Chariton', 39.43, -92.94, 'Northeast'], ['Christian', 37.02, -93.21, 'Southwest'], ['Clark', 40.42, -91.72, 'Northeast'], ['Clay', 39.25, -94.42, 'Kansas City'],
  ['Clinton', 39.57, -94.45, 'Northwest'], ['Cole', 38.58, -92.17, 'Central'], ['Cooper', 38.97, -92.74, 'Central'], ['Crawford', 37.97, -91.35, 'Central'],
  ['Dade', 37.42, -93.84, 'Southwest'], ['Dallas', 37.64, -93.09, 'Southwest'], ['Daviess', 39.91, -93.96, 'Northwest'], ['DeKalb', 39.89, -94.36, 'Northwest'],
  ['Dent', 37.65, -91.54, 'Southeast'], ['Douglas', 36.95, -92.66, 'Southwest'], ['Dunklin', 36.24, -90.06, 'Southeast'], ['Franklin', 38.45, -91.01, 'St. Louis'],
  ['Gasconade', 38.7, -91.44, 'Central'], ['Gentry', 40.25, -94.33, 'Northwest'], ['Greene', 37.21, -93.29, 'Southwest'], ['Grundy', 40.08, -93.62, 'Northwest'],
  ['Harrison', 40.27, -94.03, 'Northwest'], ['Henry', 38.37, -93.78, 'Central'], ['Hickory', 37.94, -93.32, 'Southwest'], ['Holt', 39.99, -95.14, 'Northwest'],
  ['Howard', 39.15, -92.68, 'Central'], ['Howell', 36.73, -91.85, 'Southeast'], ['Iron', 37.6, -90.63, 'Southeast'], ['Jackson', 39.09, -94.42, 'Kansas City'],
  ['Jasper', 37.18, -94.31, 'Southwest'], ['Jefferson', 38.23, -90.56, 'St. Louis'], ['Johnson', 38.76, -93.74, 'Kansas City'], ['Knox', 40.17, -92.17, 'Northeast'],
  ['Laclede', 37.68, -92.66, 'Southwest'], ['Lafayette', 39.18, -93.88, 'Kansas City'], ['Lawrence', 37.1, -93.82, 'Southwest'], ['Lewis', 40.12, -91.71, 'Northeast'],
  ['Lincoln', 38.98, -90.98, 'Northeast'], ['Linn', 39.88, -93.19, 'Northeast'], ['Livingston', 39.8, -93.55, 'Northwest'], ['McDonald', 36.59, -94.39, 'Southwest'],
  ['Macon', 39.74, -92.47, 'Northeast'], ['Madison', 37.56, -90.29, 'Southeast'], ['Maries', 38.19, -91.95, 'Central'], ['Marion', 39.79, -91.52, 'Northeast'],
  ['Mercer', 40.4, -93.58, 'Northwest'], ['Miller', 38.23, -92.46, 'Central'], ['Mississippi', 36.92, -89.35, 'Southeast'], ['Moniteau', 38.63, -92.57, 'Central'],
  ['Monroe', 39.48, -92.0, 'Northeast'], ['Montgomery', 38.98, -91.5, 'Northeast'], ['Morgan', 38.43, -92.84, 'Central'], ['New Madrid', 36.59, -89.53, 'Southeast'],
  ['Newton', 36.87, -94.37, 'Southwest'], ['Nodaway', 40.35, -94.87, 'Northwest'], ['Oregon', 36.69, -91.4, 'Southeast'], ['Osage', 38.49, -91.85, 'Central'],
  ['Ozark', 36.6, -92.43, 'Southwest'], ['Pemiscot', 36.19, -89.66, 'Southeast'], ['Perry', 37.72, -89.86, 'Southeast'], ['Pettis', 38.7, -93.23, 'Central'],
  ['Phelps', 37.95, -91.77, 'Central'], ['Pike', 39.34, -91.19, 'Northeast'], ['Platte', 39.37, -94.78, 'Kansas City'], ['Polk', 37.61, -93.41, 'Southwest'],
  ['Pulaski', 37.83, -92.2, 'Central'], ['Putnam', 40.48, -93.0, 'Northeast'], ['Ralls', 39.59, -91.4, 'Northeast'], ['Randolph', 39.44, -92.54, 'Northeast'],
  ['Ray', 39.28, -93.98, 'Kansas City'], ['Reynolds', 37.43, -90.96, 'Southeast'], ['Ripley', 36.62, -90.82, 'Southeast'], ['St. Charles', 38.78, -90.48, 'St. Louis'],
  ['St. Clair', 38.05, -93.7, 'Central'], ['Ste. Genevieve', 37.98, -90.04, 'Southeast'], ['St. Francois', 37.78, -90.42, 'Southeast'], ['St. Louis', 38.65, -90.34, 'St. Louis'],
  ['St. Louis City', 38.63, -90.2, 'St. Louis'], ['Saline', 39.12, -93.2, 'Central'], ['Schuyler', 40.52, -92.53, 'Northeast'], ['Scotland', 40.46, -92.17, 'Northeast'],
  ['Scott', 37.1, -89.56, 'Southeast'], ['Shannon', 37.15, -91.36, 'Southeast'], ['Shelby', 39.81, -92.04, 'Northeast'], ['Stoddard', 36.89, -89.93, 'Southeast'],
  ['Stone', 36.75, -93.46, 'Southwest'], ['Sullivan', 40.2, -93.12, 'Northeast'], ['Taney', 36.69, -93.12, 'Southwest'], ['Texas', 37.33, -91.96, 'Southeast'],
  ['Vernon', 37.84, -94.35, 'Southwest'], ['Warren', 38.81, -91.14, 'St. Louis'], ['Washington', 37.94, -90.79, 'Southeast'], ['Wayne', 37.13, -90.45, 'Southeast'],
  ['Webster', 37.34, -92.91, 'Southwest'], ['Worth', 40.49, -94.41, 'Northwest'], ['Wright', 37.25, -92.51, 'Southwest'],
];

/** A county's name as people write it: any case, "County" or not, "Saint" or "St.". */
const keyOf = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/\s+county$/, '')
    .replace(/^saint\s+/, 'st. ')
    .replace(/^st\s+/, 'st. ')
    .replace(/^ste\s+/, 'ste. ')
    .replace(/\s+/g, ' ');
const REGION_OF = new Map(COUNTIES.map(([name, , , region]) => [keyOf(name), region]));

/** The region of a Missouri county (or St. Louis City); null for a name that is not one. */
export function regionOfCounty(county: string | null | undefined): Region | null {
  return county ? (REGION_OF.get(keyOf(county)) ?? null) : null;
}
