import { describeEventStoreContract, describeSqlEventStoreGuarantees } from './event-store.contract.js';
import { openSqlSubject } from './sql-subject.js';

describeEventStoreContract('PGlite', () => openSqlSubject({ engine: 'pglite' }));
describeSqlEventStoreGuarantees('PGlite', () => openSqlSubject({ engine: 'pglite' }));
