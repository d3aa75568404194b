// Every suite of the web run, loaded once Mocha has made its globals (see index.ts).
import './web.test';
