import type { PersonalDataKind } from './privacy-guard';

/**
 * The privacy guard's table of cases, shared by the unit spec and the API e2e test
 * (test/privacy.e2e-spec.ts). Add a case here when a new false positive or miss is found.
 */

/** Strings that must be stored as they are. */
export const PRIVACY_ALLOWED: string[] = [
  '',
  'About 40 students blocked the table and heckled the recruiters; the agents left after an hour.',
  'Kent State Police Department asked us to move the table to the second floor.',
  'The Office of the Provost cancelled the info session two days before.',
  'The DMV disputed the report in a public statement.',
  'The New York DMV disputed the records-access complaint.',
  'Metro Nashville Police Department declined shared task-force office space because of the affiliation.',
  'The university president issued a statement; the Dean of Students office closed the hall.',
  'Protest at Kent State University career fair on 2020-02-27, crowd 50-99, ended early at 11:30.',
  'Host cancelled; rescheduled to 2026-03-10 at the Student Center, Room 204.',
  'Signs on the wall of the Student Union; materials defaced (about 200 flyers).',
  'University of Jordan exchange office declined the visit.',
  'The campus newspaper covered it on page 3 (issue 2024-11).',
  'Students chanted outside Smith Hall for 20 minutes.',
  'Shared at @ the fair entrance: leaflets only.',
  'Sheriff\'s Office of Davidson County declined to co-host.',
  'Source: https://www.kent.edu/news/statement-career-fair',
  'Members of Students for Justice in Palestine marched to the career center.',
  'The Graduate Student Union called for the fair to drop defence employers.',
  'A petition with 1,200 signatures asked the university to cancel the visit.',
  'Vice President for Student Affairs issued a statement.',
  'Hamilton Hall was occupied; rally at Sproul Plaza with megaphones.',
  'The Kent State chapter of SDS led the protest near Washington Square Park.',
  'Declined shared task-force office space "because of the affiliation".',
];

/** Strings that must be refused, with the kind that refuses them and the offending span. */
export const PRIVACY_REFUSED: Array<[string, PersonalDataKind, string]> = [
  ['Organised by jane.doe@example.edu, who emailed the dean.', 'email', 'jane.doe@example.edu'],
  ['Call the organiser at (330) 555-0142 for details.', 'phone', '(330) 555-0142'],
  ['Organiser phone 330-555-0142.', 'phone', '330-555-0142'],
  ['International organiser +44 20 7946 0958.', 'phone', '+44 20 7946 0958'],
  ['The campaign was run by @ksu_resist on social media.', 'handle', '@ksu_resist'],
  ['See https://twitter.com/ksu_resist/status/123 for the call to action.', 'profile_url', 'https://twitter.com/ksu_resist/status/123'],
  ['Posted at instagram.com/someone.protests yesterday.', 'profile_url', 'instagram.com/someone.protests'],
  ['The video went up on tiktok.com/@campusvoice.', 'profile_url', 'tiktok.com/@campusvoice'],
  ['Profile linkedin.com/in/john-doe-123 shared it.', 'profile_url', 'linkedin.com/in/john-doe-123'],
  ['Student ID 81234567 was seen at the table.', 'id_number', 'Student ID 81234567'],
  ['A student (id: A00123456) threw flyers.', 'id_number', 'id: A00123456'],
  ['Badge number 4471 reported.', 'id_number', 'Badge number 4471'],
  ['SSN 123-45-6789 written on a sign.', 'id_number', '123-45-6789'],
  ['Card K1234567 was left at the table.', 'id_number', 'K1234567'],
  ['John Smith blocked the table.', 'person_name', 'John Smith'],
  ['Protesters were led by Maria Garcia and others.', 'person_name', 'Maria Garcia'],
  ['The group around jane doe heckled the agents.', 'person_name', 'jane doe'],
  ['Officer Jones escorted the agents out.', 'person_name', 'Officer Jones'],
  ['Dean Thompson cancelled the event.', 'person_name', 'Dean Thompson'],
  ['Ahmed Khan spoke through a megaphone.', 'person_name', 'Ahmed Khan'],
  ['Jordan Lee organised the walkout.', 'person_name', 'Jordan Lee'],
  ['Dr. Patel filmed the agents.', 'person_name', 'Dr. Patel'],
  ['Prof. Emily Carter spoke at the rally.', 'person_name', 'Prof. Emily Carter'],
  ['Contact: @FreePalestineKSU', 'handle', '@FreePalestineKSU'],
  ['student number 20231234 filmed it', 'id_number', 'student number 20231234'],
  ['Call 555 123 4567 to join.', 'phone', '555 123 4567'],
];
