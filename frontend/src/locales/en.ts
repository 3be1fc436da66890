import { enumMessages } from './enums'
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  app: { name: 'Yanzhen · Rural Talent Graph' },
  nav: {
    main: 'Main navigation', menu: 'Menu', regions: 'Regions', dashboard: 'Statistics', alerts: 'Alerts', mentoring: 'Mentoring',
    institutions: 'Universities', matching: 'Matching', import: 'Import', vocabulary: 'Vocabularies', login: 'Sign in', logout: 'Sign out', language: 'Language',
  },
  search: { label: 'Search people, institutions or regions', placeholder: 'Name, pinyin or last 4 phone digits' },
  common: {
    loading: 'Loading…', empty: 'Nothing here yet', loadFailed: 'Could not load', networkError: 'Cannot reach the server; check the network and retry',
    retry: 'Retry', loadMore: 'Load more ({shown} of {total} shown)', exportRoster: 'Export roster', template: 'Download import template',
    none: 'None', yes: 'Yes', no: 'No', cancel: 'Cancel', close: 'Close', actions: 'Actions', present: 'present', unknown: 'Unknown',
    notFound: 'Not found', downloadFailed: 'Download failed ({reason})', notFoundHint: 'The address is wrong or the record was removed.',
  },
  region: {
    country: 'China', path: 'Region path', pick: 'Choose a region', children: 'Subregions', noChildren: 'No subregions',
    notFound: 'No region has the code {code}', figuresFailed: 'Figures are not available right now',
  },
  figures: {
    villages: 'Villages and communities', members: 'Committee members', reserves: 'Reserve cadres', fewReserves: 'Villages with < 2 reserves',
    advisers: 'Honorary secretaries and advisers', experts: 'S&T commissioners', villagesShort: '{n} villages',
    membersShort: 'committee {n}', reservesShort: 'reserves {n}', expertsShort: 'experts {n}',
  },
  village: {
    title: 'Village', tabs: { people: 'Committee and reserves', support: 'Advisers and experts', work: 'Demands and results', history: 'History' },
    committee: 'Village committees', noCommittee: 'No committee member in post', role: 'Role', oneShoulder: 'One shoulder', since: 'Since',
    reserves: 'Reserve cadres', fewReserves: 'fewer than 2', resident: 'Resident first secretary and work team', noResident: 'No resident cadre',
    advisers: 'Honorary secretaries and advisers', noAdvisers: 'No adviser appointed', kind: 'Kind', lastContact: 'Last contact',
    neverContacted: 'Never contacted', overdue: '{n} days overdue',
    contact: {
      title: 'Log a contact', log: 'Log contact', adviser: 'Adviser', pickAdviser: 'Choose an adviser', date: 'Date', pickDate: 'Choose a date',
      mode: 'How', notes: 'Notes', submit: 'Save contact', saved: 'Contact saved',
    },
    experts: 'Experts serving the village', noExperts: 'No expert serves it', fields: 'Fields', serves: 'Serves',
    directly: 'this village', viaRegion: 'via {name}',
    demands: 'Demands', noDemands: 'No demand', contributions: 'Results', noContributions: 'No result recorded', date: 'Date',
    amount: 'Amount', by: 'By', whoHeld: 'Who held a role on a day', onDate: 'Day', nobodyHeld: 'Nobody held it that day',
    pastPosts: 'Former holders', noPastPosts: 'No ended post',
  },
  person: {
    file: 'Personal file', notFound: 'No such person', profile: 'Profile', name: 'Name', gender: 'Gender', birthDate: 'Born',
    years: '{n} years', age: 'Age', ethnicity: 'Ethnicity', education: 'Education', political: 'Political status', title: 'Title',
    homeVillage: 'Home village', expertise: 'Expertise', phone: 'Phone', idNumber: 'ID number',
    masked: 'Personal data is shown masked.', reveal: 'Reveal', revealed: 'Shown in clear (recorded in the audit log).', hide: 'Hide',
    revealTitle: 'Reveal the phone and ID number', revealReason: 'Reason', revealReasonNeeded: 'Say why', revealAudit: 'The reason, who and when go to the audit log.',
    mentoring: 'Mentoring', mentors: 'Mentors', mentees: 'Mentees', tabs: { timeline: 'Timeline', lineage: 'Lineage', service: 'Appointments and service' },
    noTimeline: 'No history', appointments: 'Adviser appointments', assignments: 'Expert assignments', period: 'Period', contacts: 'Contacts',
    serviceRecords: 'Service records', noServiceRecords: 'No service record', beneficiaries: 'Beneficiaries', moreRecords: '{n} older records',
  },
  lineage: {
    descendants: 'Down (mentees)', ancestors: 'Up (mentors)', direction: 'Direction', empty: 'No mentoring relationship',
    hint: 'Click a person to fold or unfold; orange people (＋) have mentees not loaded yet — click to load them. In brackets: active/total mentees.',
    chartLabel: 'Mentoring lineage tree',
  },
  mentoring: {
    network: 'Mentoring network', shown: '{shown} of {total} pairs, {people} people', empty: 'No mentorship recorded in this region',
    graphHint: 'Drag and zoom; solid lines are active pairs, dashed ended ones; click a person for their lineage.', mentor: 'Mentor', menteeOnly: 'Mentee',
    mentees: 'Mentees', mentored: 'With a mentor', pipelinePeople: 'In the pipeline', becameMembers: 'Joined committees', becameSecretaries: 'Became secretaries',
    topMentors: 'Mentors', lineageOf: 'Lineage of {name}', openFile: 'Open personal file',
  },
  institution: {
    name: 'Institution', none: 'No partner university or institute', notFound: 'No such institution', assignments: 'Assignments',
    agreementsSigned: 'Agreements signed', subsidyTotal: 'Annual subsidies', records: 'Service records', view: 'View', asTable: 'Table',
    byRegion: 'By region', onlyCurrent: 'Current assignments only', export: 'Export table (CSV)', noAssignments: 'No assignment',
    where: 'Serves', agreement: 'Agreement', agreementSigned: 'agreement signed', agreementMissing: 'no agreement', subsidy: 'Annual subsidy',
    lastRecord: 'Last service',
  },
  matching: {
    openDemands: 'Open demands', noDemands: 'No open demand', pickDemand: 'Choose a demand on the left', candidates: 'Ranked experts',
    noCandidates: 'No expert fits', score: 'Score', confirm: 'Confirm', confirmTitle: 'Confirm the match',
    confirmText: '{expert} will serve the {field} demand of {region}.', startDate: 'Start date', confirmedBy: 'Confirmed by',
    confirmedByNeeded: 'Say who confirms', confirmed: 'Matched with {expert}', openFor: 'open {n} days',
    activeAssignments: '{n} active assignments', field: 'Field', description: 'Description', status: 'Status', raisedOn: 'Raised',
    parts: { cooperation: 'Cooperation', fieldFit: 'Field fit', proximity: 'Proximity', load: 'Load' },
  },
  dashboard: {
    asOf: 'As of {date}', averageAge: 'Average age', collegeShare: 'College educated', oneShoulderShare: 'One-shoulder share',
    overdueAdvisers: 'Advisers overdue', noData: 'No data for this region', gender: 'Committee gender', age: 'Committee age bands',
    education: 'Committee education', college: 'College or above', belowCollege: 'Below college', reserves: 'Reserve cadres by list',
    coverage: 'Coverage and compliance', reserveCoverage: 'Villages with ≥ 2 reserves', adviserCoverage: 'Villages with an adviser', contactCompliance: 'Advisers contacted in time',
    expertVillageCoverage: 'Villages with an expert', treemap: 'Committee members by subregion', treemapHint: 'Click a tile to go one level down.',
    children: 'Subregions compared', region: 'Region',
  },
  alerts: {
    kinds: 'Alert kinds', allKinds: 'All kinds', none: 'No alert', count: '{n} alerts', daysOverdue: '{n} days overdue',
  },
  import: {
    intro: 'Upload a roster (.xlsx, or a .csv file per sheet, or a .zip of them) filled in from the template. Dry-run it first, then import.', file: 'Roster file', dryRun: 'Dry run (check only)',
    commit: 'Import', reset: 'Choose another', allOrNothing: 'All or nothing: with any problem, no row is written.', failed: 'Upload failed',
    written: 'Imported', dryRunOk: 'No problem found: ready to import', problems: '{n} problems found; nothing written', wouldDo: 'Would import',
    did: 'Imported', counts: 'Rows per sheet', sheet: 'Sheet', rows: 'Rows', created: 'New', updated: 'Updated', unchanged: 'Unchanged',
    problemList: 'Problems ({n})', warningList: 'Warnings ({n})', row: 'Row', column: 'Column', value: 'Value', reason: 'Reason',
    progressRows: '{done} of {total} rows', jobFailed: 'The import failed ({reason}); nothing was written', nothingChanged: 'Nothing changed: nothing to write',
    groups: 'Problems by kind', groupRows: 'rows {rows}', cell: 'Cell',
    annotated: 'Download the workbook with the problems marked', annotatedHint: 'Its faulty cells are filled red and commented with the reason; the first sheet 问题汇总 lists them by kind. Fix them and upload it again.',
  },
  vocabulary: {
    hint: 'The vocabularies of tags and fields of expertise: the national terms, plus those your area (and the areas above it) added. Admins add terms for their area or map a word of theirs to a term (茶 → 茶叶); a term\'s code never changes.',
    kind: 'Vocabulary', kinds: { PERSON_TAG: 'Tags', AGRICULTURAL_FIELD: 'Fields' },
    addTitle: 'New term', label: 'Label', labelHint: 'e.g. 乡贤', code: 'Code', codeHint: 'empty: from the pinyin', labelEn: 'English label',
    synonyms: 'Synonyms', synonymsHint: 'separated by 、 or commas', add: 'Add', added: 'Added {label} ({code})',
    word: 'Your word', wordHint: 'e.g. 茶', means: 'Means the term', map: 'Map', mapped: 'Mapped {word} to {label}',
    owner: 'Area', national: 'National', addSynonyms: 'Add synonyms', count: 'Count', places: 'Where',
    unknownTitle: 'Words not in a vocabulary', unknownHint: 'These words are not in the vocabularies that apply to you. Add each as a term of your area or map it to a term; then check again and the same file imports.',
    unknownAskAdmin: 'These words are not in a vocabulary: ask your area\'s admin to add or map them, then import again.', addAsTerm: 'Add as a term', recheck: 'Check again',
  },
  mapping: {
    title: 'Column mapping', hint: 'The roster format does not know these headers (or they may be several columns). Choose the column each holds, or Ignore; then check again with the mapping, which the import then uses too.',
    header: 'Header', column: 'Column', wholeSheet: '(the whole sheet)', ambiguous: 'ambiguous', leave: 'No choice (ignored with a warning)',
    pickSheet: 'Choose the kind of sheet', ignore: 'Ignore', required: 'required', recheck: 'Check again with the mapping', applied: '{n} mapping lines applied',
    missing: 'Required columns still missing: {columns}',
  },
  elsewhere: {
    title: 'Other rosters and places', keys: 'Numbers in each roster', places: 'Where they hold or held posts, appointments, assignments, mentorships', current: 'current', past: 'past',
    kind: { post: 'post', adviser: 'adviser', expert: 'expert assignment', mentor: 'mentor', mentee: 'mentee' },
  },
  login: {
    title: 'Sign in', required: 'Please sign in.', username: 'User name', usernameNeeded: 'Enter your user name', password: 'Password',
    passwordNeeded: 'Enter your password', submit: 'Sign in', signedInAs: '{name} ({role})',
  },
  roles: { ADMIN: 'Admin', TOWNSHIP: 'Township', VILLAGE: 'Village', PARTNER: 'Partner' },
  enums: enumMessages(1),
}

export default en
