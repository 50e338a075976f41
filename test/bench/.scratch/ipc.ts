import { openNativeDb } from '../../../src/node/nativeDb';
import { textColumnsToArrowIpc } from '../../../src/core/source/importedTable';
const db = await openNativeDb();
await db.insertArrowIpc('imp', textColumnsToArrowIpc({ names: ['a', 'b "q"'], columns: [['x', null, 'z'], ['1', '2', null]] } as any));
console.log(await db.query('SELECT * FROM imp'), await db.query('DESCRIBE imp'));
await db.insertArrowIpc('imp', textColumnsToArrowIpc({ names: ['c'], columns: [['only']] } as any));
console.log(await db.query('SELECT * FROM imp'));
