import { describeFilteredCatchUp, describeFilteredCatchUpUnderLateCommit } from './filtered-catch-up.contract.js';
import { describeEventStoreContract, describeSqlEventStoreGuarantees } from './event-store.contract.js';
import { openSqlSubject } from './sql-subject.js';

describeEventStoreContract('PGlite', () => openSqlSubject({ engine: 'pglite' }));
describeSqlEventStoreGuarantees('PGlite', () => openSqlSubject({ engine: 'pglite' }));
describeFilteredCatchUp('PGlite', () => openSqlSubject({ engine: 'pglite' }));
describeFilteredCatchUpUnderLateCommit('PGlite', () => openSqlSubject({ engine: 'pglite' }));
